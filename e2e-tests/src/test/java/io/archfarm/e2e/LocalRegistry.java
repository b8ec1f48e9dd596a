package io.archfarm.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** A real CNCF distribution registry (Debian's docker-registry) on a free loopback port, plain http. */
record LocalRegistry(FarmProcess process, int port) {

    static LocalRegistry start(Path workDir, Path logDir) {
        int port = FreePorts.next();
        Path config = workDir.resolve("registry.yml");
        try {
            Files.createDirectories(workDir);
            Files.writeString(config, """
                    version: 0.1
                    log:
                      level: warn
                    storage:
                      filesystem:
                        rootdirectory: %s
                      delete:
                        enabled: true
                    http:
                      addr: 127.0.0.1:%d
                    """.formatted(workDir.resolve("registry-data"), port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + config, e);
        }
        FarmProcess process = FarmProcess.start("registry", List.of("docker-registry", "serve", config.toString()),
                Map.of(), logDir);
        try {
            await("registry on port " + port).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .failFast("docker-registry exited", () -> !process.isAlive())
                    .until(() -> FreePorts.listening(port));
        } catch (RuntimeException e) {
            process.kill();
            throw new IllegalStateException("docker-registry did not start: " + e.getMessage() + "\n"
                    + process.tail(20), e);
        }
        return new LocalRegistry(process, port);
    }

    String hostPort() {
        return "127.0.0.1:" + port;
    }

    /** Pushes the farm's multi-arch busybox with scripts/base-image.sh; fails with the script's output. */
    void pushBaseImage(Path root, Path logDir) {
        FarmProcess script = FarmProcess.start("base-image",
                List.of(root.resolve("scripts/base-image.sh").toString(), hostPort(), Farm.BASE_IMAGE), Map.of(),
                logDir);
        script.awaitSuccess(600);
    }
}
