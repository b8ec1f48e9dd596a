package io.archfarm.portal.security;

import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionCallback;
import org.springframework.transaction.support.TransactionOperations;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Web sessions are kept in PostgreSQL by Spring Session (tables of Flyway's V14), so that every portal serves every
 * session.
 *
 * <p>Spring Session writes a session on every request (its last access time). Those transactions commit without
 * waiting for the disk ({@code synchronous_commit} off, for them alone): a PostgreSQL crash may lose the session
 * writes of its last fraction of a second (a sign-in then asks again, an access time is a little older), never
 * corrupt anything, and every other write of the farm still waits for its flush.
 *
 * <p>Their attributes (the signed-in person, the CSRF token, the current team, a notice after a redirect) are
 * Java-serialized, Spring Session's default. A portal of another version may find an attribute whose class changed
 * incompatibly: that attribute counts as absent (a warning in the log), so its owner signs in again, rather than
 * every request of theirs failing until the session expires.
 */
@Configuration(proxyBeanMethods = false)
class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

    /** Spring Session's by name; no default candidate, so the portal's own TransactionTemplate stays Boot's. */
    @Bean(defaultCandidate = false)
    TransactionOperations springSessionTransactionOperations(DataSource dataSource) {
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        // as Spring Session's own: a session is saved in a transaction of its own
        transactions.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        return new TransactionOperations() {
            @Override
            public <T extends @Nullable Object> T execute(TransactionCallback<T> action) {
                return transactions.execute(status -> {
                    jdbc.execute("set local synchronous_commit to off");
                    return action.doInTransaction(status);
                });
            }
        };
    }

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> unreadableSessionAttributesAreAbsent() {
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(
                byte[].class,
                Object.class,
                readOrAbsent(new DeserializingConverter(SessionStore.class.getClassLoader())));
        return repository -> repository.setConversionService(conversions);
    }

    static Converter<byte[], @Nullable Object> readOrAbsent(DeserializingConverter deserializer) {
        return bytes -> {
            try {
                return deserializer.convert(bytes);
            } catch (RuntimeException e) {
                LOG.warn(
                        "a web session attribute could not be read (written by another version of the portal?); the"
                                + " session goes on without it: {}",
                        rootMessage(e));
                return null;
            }
        };
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.toString() : e.getMessage() + " (" + root + ")";
    }
}
