package io.archfarm.portal.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.converter.Converter;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.session.config.SessionRepositoryCustomizer;
import org.springframework.session.jdbc.JdbcIndexedSessionRepository;

/**
 * Web sessions are kept in PostgreSQL by Spring Session (tables of Flyway's V14), so that every portal serves every
 * session. Their attributes (the signed-in person, the CSRF token, the current team, a notice after a redirect) are
 * Java-serialized, Spring Session's default. A portal of another version may find an attribute whose class changed
 * incompatibly: that attribute counts as absent (a warning in the log), so its owner signs in again, rather than
 * every request of theirs failing until the session expires.
 */
@Configuration(proxyBeanMethods = false)
class SessionStore {

    private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);

    @Bean
    SessionRepositoryCustomizer<JdbcIndexedSessionRepository> unreadableSessionAttributesAreAbsent() {
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class, readOrAbsent(
                new DeserializingConverter(SessionStore.class.getClassLoader())));
        return repository -> repository.setConversionService(conversions);
    }

    static Converter<byte[], Object> readOrAbsent(DeserializingConverter deserializer) {
        return bytes -> {
            try {
                return deserializer.convert(bytes);
            } catch (RuntimeException e) {
                LOG.warn("a web session attribute could not be read (written by another version of the portal?); the"
                        + " session goes on without it: {}", rootMessage(e));
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
