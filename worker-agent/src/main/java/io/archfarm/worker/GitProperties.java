package io.archfarm.worker;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/** {@code archfarm.git.*}: which repositories may be fetched and how long one git command may take. */
@Validated
@ConfigurationProperties("archfarm.git")
public record GitProperties(
        @DefaultValue("false") boolean allowFileUrls,
        @NotNull @DefaultValue("60s") Duration timeout) {
}
