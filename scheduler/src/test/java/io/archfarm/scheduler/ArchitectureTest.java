package io.archfarm.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaEnumConstant;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.springframework.transaction.annotation.Transactional;

/** Module boundaries of the scheduler, checked on its compiled main classes. */
class ArchitectureTest {

    private static final JavaClasses SCHEDULER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.archfarm.scheduler");

    @Test
    void featurePackagesAreFreeOfCycles() {
        slices().matching("io.archfarm.scheduler.(*)..")
                .should()
                .beFreeOfCycles()
                .check(SCHEDULER);
    }

    @Test
    void onlyTheOutboxAndTheBrokerConfigurationTouchTheRabbitTemplate() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.archfarm.scheduler.outbox..", "io.archfarm.scheduler.broker..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.amqp.rabbit.core.RabbitTemplate")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.amqp.core.AmqpTemplate")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.amqp.rabbit.core.RabbitOperations")
                .because("every message the scheduler sends goes through the transactional outbox")
                .check(SCHEDULER);
    }

    @Test
    void theSchedulerIsScanned() {
        // guards the rule above against passing on an empty import
        Assertions.assertThat(SCHEDULER.contain("io.archfarm.scheduler.outbox.Outbox"))
                .isTrue();
    }

    @Test
    void onlyTheBrokerConfigurationDeclaresTopology() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.archfarm.scheduler.broker..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.amqp.core.AmqpAdmin")
                .check(SCHEDULER);
    }

    /**
     * The direct calls only; what a transactional method reaches through others is refused at run time (JobQueues
     * refuses to declare inside a transaction, PublishManifestList.push runs with Propagation.NEVER).
     */
    @Test
    void noTransactionalMethodDoesBrokerOrRegistryIo() {
        noClasses()
                .should()
                .callMethodWhere(
                        new DescribedPredicate<JavaMethodCall>(
                                "a @Transactional method calls the broker or the registry") {
                            @Override
                            public boolean test(JavaMethodCall call) {
                                return runsInATransaction(call.getOrigin())
                                        && BROKER_OR_REGISTRY.stream().anyMatch(call.getTargetOwner()::isAssignableTo);
                            }
                        })
                .because("no broker or registry I/O runs inside a database transaction (DESIGN.md rule 11)")
                .check(SCHEDULER);
    }

    /** Annotated @Transactional, except with a propagation that runs without one (NEVER, NOT_SUPPORTED). */
    private static boolean runsInATransaction(JavaCodeUnit method) {
        if (!method.isAnnotatedWith(Transactional.class)) {
            return false;
        }
        return method.getAnnotationOfType(Transactional.class.getName())
                .get("propagation")
                .map(value -> ((JavaEnumConstant) value).name())
                .map(name -> !name.equals("NEVER") && !name.equals("NOT_SUPPORTED"))
                .orElse(true);
    }

    private static final List<String> BROKER_OR_REGISTRY = List.of(
            "io.archfarm.scheduler.broker.JobQueues",
            "org.springframework.amqp.core.AmqpAdmin",
            "org.springframework.amqp.core.AmqpTemplate",
            "io.archfarm.scheduler.outbox.ConfirmedPublisher",
            "io.archfarm.scheduler.manifests.RegistryClient",
            "io.archfarm.scheduler.manifests.RegistryClient$Session");
}
