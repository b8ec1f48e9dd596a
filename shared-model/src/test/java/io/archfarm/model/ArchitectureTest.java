package io.archfarm.model;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shared model is an API module: records, enums and small helpers every service may use. */
class ArchitectureTest {

    private static final JavaClasses MODEL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.archfarm.model");

    @Test
    void importsTheModel() {
        // guards the rules below against passing on an empty import
        assertThat(MODEL.contain("io.archfarm.model.messages.BuildRequested")).isTrue();
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.archfarm.model.(*)..").should().beFreeOfCycles().check(MODEL);
    }

    @Test
    void theModelKnowsNoServiceAndNoFramework() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.archfarm.portal..",
                        "io.archfarm.scheduler..",
                        "io.archfarm.worker..",
                        "io.archfarm.afctl..",
                        "org.springframework..",
                        "jakarta.persistence..",
                        "org.hibernate..")
                .because("every service depends on the model, and the model on none of them (no Spring beans, no JPA)")
                .check(MODEL);
    }
}
