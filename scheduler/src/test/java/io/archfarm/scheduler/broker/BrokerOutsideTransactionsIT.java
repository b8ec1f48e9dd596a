package io.archfarm.scheduler.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.model.Platform;
import io.archfarm.scheduler.NoTicks;
import io.archfarm.testing.ArchfarmTestServices;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Declaring a queue is broker I/O: refused inside a database transaction, done outside one. */
@SpringBootTest
@Import({ArchfarmTestServices.class, NoTicks.class})
class BrokerOutsideTransactionsIT {

    @Autowired
    JobQueues queues;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    PlatformTransactionManager transactionManager;

    @Test
    void aDeclarationInsideATransactionIsRefused() {
        TransactionTemplate transaction = new TransactionTemplate(transactionManager);
        Platform platform = Platform.parse("linux/arm/v5");

        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> {
                    jdbc.sql("select 1").query(Integer.class).single();
                    queues.ensureDeclared(platform);
                }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a database transaction");
        assertThatThrownBy(() -> transaction.executeWithoutResult(status -> queues.ensureWorkerQueueDeclared("w-x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a database transaction");
        assertThat(queues.isDeclared(platform)).isFalse();

        queues.ensureDeclared(platform);
        assertThat(queues.isDeclared(platform)).isTrue();
        assertThat(queues.declaredWorkerQueue("w-x")).isEmpty();
        queues.ensureWorkerQueueDeclared("w-x");
        assertThat(queues.declaredWorkerQueue("w-x")).isPresent();
    }
}
