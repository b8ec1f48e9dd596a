package io.archfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.RequiredTools;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker package as a host gets it (target/worker-agent-*-dist.tar.gz, made in the package phase): unpacked and
 * installed by its install.sh into a directory of the test's own, then started by its wrapper with the settings of
 * its environment file, as systemd would start it.
 */
class WorkerPackageIT {

    private static final String WRONG_PASSWORD = "package-it-wrong-password";

    @TempDir
    Path dir;

    @Test
    void installsTheAgentItsUnitAndASettingsFileOnlyRootReadsAndTheInstalledAgentRuns() throws Exception {
        RequiredTools.require("tar");
        Path unpacked = Files.createDirectories(dir.resolve("unpacked"));
        run(List.of("tar", "-xzf", tarball().toString(), "-C", unpacked.toString()), Map.of(), 60);
        Path root = dir.resolve("root");
        Path packageDir;
        try (Stream<Path> entries = Files.list(unpacked)) {
            packageDir = entries.findFirst().orElseThrow();
        }
        Map<String, String> where = Map.of(
                "ARCHFARM_WORKER_SKIP_PACKAGES",
                "1",
                "ARCHFARM_WORKER_PREFIX",
                root.resolve("opt/archfarm-worker").toString(),
                "ARCHFARM_WORKER_ETC",
                root.resolve("etc/archfarm").toString(),
                "ARCHFARM_WORKER_UNITS",
                root.resolve("etc/systemd/system").toString());

        String installed = run(List.of(packageDir.resolve("install.sh").toString()), where, 60);

        assertThat(installed).contains("systemctl enable --now archfarm-worker");
        Path env = root.resolve("etc/archfarm/worker.env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(env)))
                .isEqualTo("rw-------");
        Path unit = root.resolve("etc/systemd/system/archfarm-worker.service");
        assertThat(Files.readString(unit))
                .contains("ExecStart=/opt/archfarm-worker/bin/archfarm-worker")
                .contains("EnvironmentFile=/etc/archfarm/worker.env")
                .contains("WantedBy=multi-user.target");
        Path wrapper = root.resolve("opt/archfarm-worker/bin/archfarm-worker");
        assertThat(wrapper).isExecutable();
        assertThat(root.resolve("opt/archfarm-worker/lib/worker-agent.jar")).isRegularFile();
        assertThat(run(List.of(packageDir.resolve("install.sh").toString()), where, 60))
                .as("a second install keeps the operator's settings")
                .contains("kept " + env);

        Map<String, String> settings = new HashMap<>(settingsOf(env));
        settings.put("SPRING_RABBITMQ_ADDRESSES", "amqp://127.0.0.1:5672");
        settings.remove("SPRING_RABBITMQ_SSL_BUNDLE");
        settings.remove("SPRING_SSL_BUNDLE_PEM_BROKER_TRUSTSTORE_CERTIFICATE");
        settings.put("SPRING_RABBITMQ_PASSWORD", WRONG_PASSWORD);
        settings.put("ARCHFARM_WORKER_ID", "package-it");
        settings.put("ARCHFARM_WORKER_WORK_DIR", dir.resolve("work").toString());
        settings.put("ARCHFARM_WORKER_NATIVE_PLATFORMS", "linux/amd64");
        settings.put("ARCHFARM_WORKER_EMULATED_PLATFORMS", "none");
        Process agent = start(List.of(wrapper.toString()), settings);

        assertThat(agent.waitFor(120, TimeUnit.SECONDS))
                .as("the agent gives up on a refused login")
                .isTrue();
        String output = new String(agent.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agent.exitValue()).as(output).isEqualTo(1);
        assertThat(output)
                .contains("refused the login of user 'archfarm-worker' on virtual host 'archfarm'")
                .doesNotContain(WRONG_PASSWORD);
    }

    private static Path tarball() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(f -> f.getFileName().toString().matches("worker-agent-.*-dist\\.tar\\.gz"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no target/worker-agent-*-dist.tar.gz: "
                            + "the package phase makes it (mvn package or verify)"));
        }
    }

    /** The KEY=value lines of an environment file, as systemd's EnvironmentFile= reads them. */
    private static Map<String, String> settingsOf(Path env) throws IOException {
        Map<String, String> settings = new HashMap<>();
        for (String line : Files.readAllLines(env)) {
            if (!line.isBlank() && !line.startsWith("#") && line.contains("=")) {
                settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return settings;
    }

    private static String run(List<String> command, Map<String, String> env, int seconds) throws Exception {
        Process process = start(command, env);
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not end within " + seconds + " s");
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as("%s:\n%s", command, output).isZero();
        return output;
    }

    private static Process start(List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().keySet().removeIf(name -> name.startsWith("SPRING_") || name.startsWith("ARCHFARM_"));
        builder.environment().putAll(env);
        return builder.start();
    }
}
