package io.archfarm.scheduler.manifests;

import io.archfarm.model.metrics.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import org.springframework.stereotype.Component;

/**
 * Counts the merge's failures at the registry by kind ({@code archfarm_registry_errors_total}): unreachable (an
 * outage, retried), refused (a login), untrusted (a certificate), other. Every kind exists from the start at 0, so
 * that a dashboard's {@code rate()} has a series before the first error.
 */
@Component
class RegistryErrors {

    private final Map<ErrorKind, Counter> counters = new EnumMap<>(ErrorKind.class);

    RegistryErrors(MeterRegistry registry) {
        for (ErrorKind kind : ErrorKind.values()) {
            counters.put(
                    kind,
                    Counter.builder("archfarm.registry.errors")
                            .tag("kind", kind.tag())
                            .description("the merge's failures at the registry, by kind")
                            .register(registry));
        }
    }

    /** Counts {@code error} and hands it back, to be thrown on. */
    RegistryException counted(RegistryException error) {
        // every kind has its counter from the constructor on
        Objects.requireNonNull(counters.get(error.kind())).increment();
        return error;
    }
}
