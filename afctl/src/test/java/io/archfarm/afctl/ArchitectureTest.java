package io.archfarm.afctl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** afctl's packages: the commands (builds, farm, login, cli) use the HTTP client (api) and the text output (text). */
class ArchitectureTest {

    private static final JavaClasses AFCTL = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.archfarm.afctl");

    @Test
    void importsAfctl() {
        // guards the rules below against passing on an empty import
        assertThat(AFCTL.contain("io.archfarm.afctl.api.FarmApi")).isTrue();
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.archfarm.afctl.(*)..").should().beFreeOfCycles().check(AFCTL);
    }

    @Test
    void theClientAndTheTextOutputKnowNoCommand() {
        noClasses()
                .that()
                .resideInAnyPackage("io.archfarm.afctl.api..", "io.archfarm.afctl.text..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.archfarm.afctl.builds..",
                        "io.archfarm.afctl.cli..",
                        "io.archfarm.afctl.farm..",
                        "io.archfarm.afctl.login..")
                .because("commands are built on the client and the output, never the other way")
                .check(AFCTL);
    }

    @Test
    void afctlReachesTheFarmOnlyThroughItsHttpApi() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.sql..", "javax.sql..", "com.rabbitmq..", "org.springframework..")
                .because("afctl is a client of the portal's REST API: no database, no broker, no Spring")
                .check(AFCTL);
    }
}
