package io.archfarm.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code archfarm.worker.*}. Platform lists left unset are detected; {@code none} means no platforms.
 *
 * @param id                worker id; unset means {@code <hostname>-<pid>}. It is part of a queue name
 * @param binfmtDir         where enabled {@code qemu-*} entries tell which platforms this host can emulate
 * @param claimTimeout      how long to wait for the scheduler's answer to a claim
 * @param storageDriver     {@code auto} (overlay where it works, else vfs), {@code overlay} or {@code vfs}
 * @param layerCacheMaxSize how much disk the image stores (base images and the layer cache of every team and
 *                          platform) may use together; over it, the least recently used images are evicted
 */
@Validated
@ConfigurationProperties("archfarm.worker")
public record WorkerProperties(
        @Pattern(regexp = "[A-Za-z0-9][A-Za-z0-9._-]*", message = "must be letters, digits, '.', '_' or '-'") @Nullable
        String id,

        @Min(1) @DefaultValue("1") int slots,
        @Nullable List<String> nativePlatforms,
        @Nullable List<String> emulatedPlatforms,
        @Nullable Path workDir,
        @Nullable Path storageRoot,
        @NotNull @DefaultValue("/proc/sys/fs/binfmt_misc") Path binfmtDir,
        @NotNull @DefaultValue("5s") Duration heartbeatInterval,
        @NotNull @DefaultValue("10s") Duration claimTimeout,

        @NotNull
        @DefaultValue("auto")
        @Pattern(regexp = "(?i)auto|overlay|vfs", message = "must be auto, overlay or vfs")
        String storageDriver,

        @NotNull @DefaultValue("20GB") DataSize layerCacheMaxSize,
        @Min(0) @Max(65535) @Nullable Integer managementPort,

        @NotNull @DefaultValue(ManagementPort.DEFAULT_ADDRESS)
        String managementAddress) {}
