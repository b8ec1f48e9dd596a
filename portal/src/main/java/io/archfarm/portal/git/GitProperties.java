package io.archfarm.portal.git;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param allowFileUrls accept {@code file://} repositories (tests and single-machine demos; never on a shared farm)
 * @param timeout       how long one git command may run before it is killed
 */
@ConfigurationProperties("archfarm.git")
@Validated
record GitProperties(@DefaultValue("false") boolean allowFileUrls, @DefaultValue("60s") @NotNull Duration timeout) {
}
