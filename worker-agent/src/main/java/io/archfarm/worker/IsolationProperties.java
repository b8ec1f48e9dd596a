package io.archfarm.worker;

import io.archfarm.worker.build.EgressPolicy;
import io.archfarm.worker.build.IsolationLevel;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.isolation.*}: how the RUN steps of every build this worker runs are kept from the host, the farm
 * and the networks behind it. One policy per farm: give every worker the same. See docs/ARCHITECTURE.md, "Isolation
 * of RUN steps".
 *
 * @param level          {@code netns} (default): a network namespace per job, OCI isolation through runc;
 *                       {@code host}: RUN steps share the worker's network (trusted farms only)
 * @param egress         {@code none} (default), {@code outside} or {@code allow-list}
 * @param resolver       the DNS server RUN steps may ask, an IPv4 address; unset: no DNS
 * @param allow          the allow-list: {@code 203.0.113.0/24}, {@code 203.0.113.7:443}, {@code host.example:443}
 * @param allowPrivate   internal networks egress {@code outside} may reach anyway, e.g. a package mirror
 * @param deny           networks no job reaches under any policy, e.g. the farm's own services on public addresses
 * @param sandboxSubnet  the IPv4 network the jobs' namespaces take a /30 each from; must be unused on the host
 * @param runtime        the OCI runtime for level {@code netns}
 * @param lockDir        where the workers of a host lock the sandbox numbers they use
 */
@Validated
@ConfigurationProperties("archfarm.isolation")
public record IsolationProperties(
        @NotNull @DefaultValue("netns") IsolationLevel level,
        @NotNull @DefaultValue("none") EgressPolicy egress,
        @Nullable String resolver,
        @DefaultValue List<String> allow,
        @DefaultValue List<String> allowPrivate,
        @DefaultValue List<String> deny,
        @NotNull @DefaultValue("10.231.0.0/16") String sandboxSubnet,
        @NotNull @DefaultValue("runc") String runtime,
        @NotNull @DefaultValue("/run/archfarm/sandboxes") Path lockDir) {}
