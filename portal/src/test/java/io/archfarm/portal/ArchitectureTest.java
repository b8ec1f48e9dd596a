package io.archfarm.portal;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.domain.properties.CanBeAnnotated;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import jakarta.persistence.Entity;
import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RestController;

/** The portal's boundaries: entities stay behind the controllers, and the portal never talks to the broker. */
class ArchitectureTest {

    private static final JavaClasses PORTAL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("/archfixture/"))
            .importPackages("io.archfarm.portal");

    /** What every feature may use: the settings (root package), ApiProblem and the web layer's infrastructure. */
    private static final String[] SHARED = {
        "io.archfarm.portal", "io.archfarm.portal.problems..", "io.archfarm.portal.web.."
    };

    /** Private helpers of a controller may work with entities; what the web layer can call may not. */
    private static final ArchRule CONTROLLERS_KEEP_ENTITIES = methods()
            .that()
            .areNotPrivate()
            .and()
            .areDeclaredInClassesThat(CanBeAnnotated.Predicates.annotatedWith(RestController.class)
                    .or(CanBeAnnotated.Predicates.annotatedWith(Controller.class)))
            .should(notExposeEntities());

    /** Dependencies point from pages and controllers towards accounts and the domain, never back. */
    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.archfarm.portal.(*)..").should().beFreeOfCycles().check(PORTAL);
    }

    /** Features throw ApiProblem, read the settings and mark their pages; none of those knows a feature. */
    @Test
    void problemsTheWebLayerAndTheSettingsKnowNoFeature() {
        noClasses()
                .that()
                .resideInAnyPackage(SHARED)
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage("io.archfarm.portal.*..")
                        .and(DescribedPredicate.not(JavaClass.Predicates.resideInAnyPackage(SHARED))))
                .check(PORTAL);
    }

    @Test
    void importsThePortal() {
        if (PORTAL.stream().noneMatch(c -> c.isAnnotatedWith(Entity.class))
                || PORTAL.stream().noneMatch(c -> c.isAnnotatedWith(RestController.class))) {
            throw new AssertionError("the import found no entities or no controllers: the rules below would be empty");
        }
    }

    @Test
    void controllersNeitherReturnNorAcceptEntities() {
        CONTROLLERS_KEEP_ENTITIES.check(PORTAL);
    }

    @Test
    void theEntityRuleCatchesALeakingController() {
        JavaClasses leaky = new ClassFileImporter().importPackages("io.archfarm.portal.archfixture");
        assertThatThrownBy(() -> CONTROLLERS_KEEP_ENTITIES.check(leaky))
                .hasMessageContaining("LeakyController.all()")
                .hasMessageContaining("LeakyController.save(");
    }

    @Test
    void nothingInThePortalTalksToTheBroker() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.amqp..", "com.rabbitmq..")
                .check(PORTAL);
    }

    private static ArchCondition<JavaMethod> notExposeEntities() {
        DescribedPredicate<JavaClass> entity =
                DescribedPredicate.describe("a JPA entity", c -> c.isAnnotatedWith(Entity.class));
        return new ArchCondition<>("neither return nor accept a JPA entity") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean returns =
                        method.getReturnType().getAllInvolvedRawTypes().stream().anyMatch(entity);
                boolean accepts = method.getParameterTypes().stream()
                        .flatMap(t -> t.getAllInvolvedRawTypes().stream())
                        .anyMatch(entity);
                if (returns || accepts) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName() + " exposes a JPA entity"));
                }
            }
        };
    }
}
