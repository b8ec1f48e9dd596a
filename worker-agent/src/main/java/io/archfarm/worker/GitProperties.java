package io.archfarm.worker;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.git.*}: which repositories may be fetched and how long one git command may take.
 *
 * @param allowFileSubmodules whether a build that asks for submodules may fetch {@code file://} ones; off, git's
 *                            default refuses them, since a repository's {@code .gitmodules} is untrusted input
 * @param allowedHosts        internal hosts (loopback, private, link-local, ...) that repository and submodule URLs
 *                            may reach: host names (exact, any case), IP addresses and CIDR blocks; the same setting
 *                            as the portal's, and the worker checks it itself right before git connects
 * @param cacheEnabled        whether the worker keeps mirrors of the repositories it builds under
 *                            {@code <work-dir>/git-cache}, so that the next build fetches only new objects
 * @param cacheMaxSize        how much disk the mirrors may take together; the least recently used go first
 */
@Validated
@ConfigurationProperties("archfarm.git")
public record GitProperties(
        @DefaultValue("false") boolean allowFileUrls,
        @DefaultValue("false") boolean allowFileSubmodules,
        @NotNull @DefaultValue("60s") Duration timeout,
        @NotNull @DefaultValue List<String> allowedHosts,
        @DefaultValue("true") boolean cacheEnabled,
        @NotNull @DefaultValue("5GB") DataSize cacheMaxSize) {}
