package io.archfarm.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** A build host is less trusted than the control plane: nothing in the worker may reach a database. */
class ArchitectureTest {

    private final JavaClasses workerClasses = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.archfarm.worker");

    @Test
    void theWorkerNeverTouchesADatabase() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "javax.sql..",
                        "jakarta.persistence..",
                        "org.springframework.jdbc..",
                        "org.springframework.data..",
                        "org.hibernate..",
                        "java.sql..")
                .because("workers reach the farm only through the broker, the registry and git")
                .check(workerClasses);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.archfarm.worker.(*)..").should().beFreeOfCycles().check(workerClasses);
    }

    @Test
    void theBuildSideKnowsNothingOfTheBroker() {
        noClasses()
                .that()
                .resideInAPackage("io.archfarm.worker.build..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.springframework.amqp..", "com.rabbitmq..")
                .check(workerClasses);
    }
}
