package io.archfarm.portal.git;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param allowFileUrls accept {@code file://} repositories (tests and single-machine demos; never on a shared farm)
 * @param timeout       how long one git command may run before it is killed
 * @param allowedHosts  hosts that repository and forge URLs may reach although they are internal (loopback, private,
 *                      link-local, ...): host names (exact, any case), IP addresses and CIDR blocks; env
 *                      {@code ARCHFARM_GIT_ALLOWED_HOSTS=127.0.0.1,localhost}; the workers take the same setting and
 *                      hold repository and submodule URLs to it again
 */
@ConfigurationProperties("archfarm.git")
@Validated
record GitProperties(
        @DefaultValue("false") boolean allowFileUrls,
        @DefaultValue("60s") @NotNull Duration timeout,
        @DefaultValue @NotNull List<String> allowedHosts) {

    @ConstructorBinding
    GitProperties {
        allowedHosts = List.copyOf(allowedHosts);
    }

    /** Without allowed hosts: only public addresses. */
    GitProperties(boolean allowFileUrls, Duration timeout) {
        this(allowFileUrls, timeout, List.of());
    }
}
