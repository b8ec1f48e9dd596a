package io.archfarm.scheduler;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Module boundaries of the scheduler, checked on its compiled main classes. */
class ArchitectureTest {

    private static final JavaClasses SCHEDULER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.archfarm.scheduler");

    @Test
    void onlyTheOutboxAndTheBrokerConfigurationTouchTheRabbitTemplate() {
        noClasses().that().resideOutsideOfPackages("io.archfarm.scheduler.outbox..", "io.archfarm.scheduler.broker..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.amqp.rabbit.core.RabbitTemplate")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("org.springframework.amqp.core.AmqpTemplate")
                .orShould().dependOnClassesThat()
                .haveFullyQualifiedName("org.springframework.amqp.rabbit.core.RabbitOperations")
                .because("every message the scheduler sends goes through the transactional outbox")
                .check(SCHEDULER);
    }

    @Test
    void theSchedulerIsScanned() {
        // guards the rule above against passing on an empty import
        org.assertj.core.api.Assertions.assertThat(SCHEDULER.contain("io.archfarm.scheduler.outbox.Outbox")).isTrue();
    }

    @Test
    void onlyTheBrokerConfigurationDeclaresTopology() {
        noClasses().that().resideOutsideOfPackage("io.archfarm.scheduler.broker..")
                .should().dependOnClassesThat().haveFullyQualifiedName("org.springframework.amqp.core.AmqpAdmin")
                .check(SCHEDULER);
    }
}
