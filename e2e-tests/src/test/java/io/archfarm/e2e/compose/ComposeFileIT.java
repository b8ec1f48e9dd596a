package io.archfarm.e2e.compose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.archfarm.e2e.compose.ComposeFile.Service;
import io.archfarm.testing.RequiredTools;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * docker-compose.yml runs what it claims. A real compose implementation validates it ({@code docker-compose config},
 * Debian's docker-compose package; no engine needed), and the file itself is checked against the launcher, which
 * runs the same parts as plain processes, and against the Dockerfile's stages.
 * <p>
 * The switch is explicit, as with {@code ARCHFARM_TEST_SERVICES}: without docker-compose on the PATH the test fails
 * and says how to install it, unless {@code -Dcompose.validate=parse-only} is given, which reports the compose run
 * as skipped and still checks everything else.
 */
class ComposeFileIT {

    static final String SWITCH = "compose.validate";
    private static final Path ROOT =
            Path.of(System.getProperty("archfarm.root", "..")).toAbsolutePath().normalize();
    private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
    /** The farm's parts in the launcher, and the services and Dockerfile stages that run them in compose. */
    private static final Map<String, String> STAGES = Map.of(
            "portal", "portal", "scheduler", "scheduler", "worker-native", "worker", "worker-emulated", "worker");

    private static final Map<String, String> WORKERS =
            Map.of("native-1", "worker-native", "emulated-1", "worker-emulated");

    private final ComposeFile compose = ComposeFile.read(COMPOSE);
    private final DockerfileStages dockerfile = DockerfileStages.read(ROOT.resolve("Dockerfile"));
    private final LauncherParts launcher = LauncherParts.read(ROOT.resolve("archfarm"));

    @Test
    void aRealComposeImplementationAcceptsTheFileAndInsistsOnEverySecret() throws Exception {
        if (!validateWithCompose()) {
            Assumptions.abort(SWITCH + "=parse-only: docker-compose config was not run; the file was only parsed");
        }
        try {
            RequiredTools.require("docker-compose");
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    e.getMessage() + "; or run with -D" + SWITCH + "=parse-only to check "
                            + "docker-compose.yml without a compose implementation",
                    e);
        }
        Map<String, String> secrets = Map.of(
                "ARCHFARM_SECURITY_SECRET_KEY",
                "c2VjcmV0LWtleS1mb3ItY29tcG9zZS1jb25maWctb25seQ==",
                "ARCHFARM_BROKER_SCHEDULER_PASSWORD",
                "scheduler-password-for-config-only",
                "ARCHFARM_BROKER_WORKER_PASSWORD",
                "worker-password-for-config");
        Run valid = dockerCompose(secrets);
        assertEquals(0, valid.exitCode(), "docker-compose config refused docker-compose.yml:\n" + valid.output());

        for (String secret : secrets.keySet()) {
            Map<String, String> without = new HashMap<>(secrets);
            without.remove(secret);
            Run refused = dockerCompose(without);
            assertNotEquals(0, refused.exitCode(), "docker-compose config accepted the stack without " + secret);
            assertTrue(refused.output().contains(secret), refused.output());
        }
    }

    @Test
    void everyServiceHasAHealthcheckOrIsAOneShot() {
        for (Service service : compose.services().values()) {
            assertTrue(
                    !service.healthcheck().isEmpty() || compose.isOneShot(service),
                    service.name()
                            + " has no healthcheck and is not a one-shot (restart \"no\", waited for with "
                            + "service_completed_successfully)");
        }
    }

    @Test
    void aServiceWaitsUntilWhatItNeedsIsHealthyOrCompleted() {
        for (Service service : compose.services().values()) {
            service.networkOf()
                    .ifPresent(network -> assertEquals(
                            "service_healthy",
                            service.dependsOn().get(network),
                            service.name() + " joins " + network + "'s network: it must " + "wait until " + network
                                    + " is healthy"));
            service.dependsOn().forEach((name, condition) -> {
                Service needed = compose.service(name);
                String expected = compose.isOneShot(needed) ? "service_completed_successfully" : "service_healthy";
                assertEquals(expected, condition, service.name() + " waits for " + name);
            });
        }
    }

    @Test
    void eachImageInstallsTheToolsItsPartRuns() {
        assertInstalls("portal", "git", "curl");
        assertInstalls("scheduler", "curl");
        assertInstalls("worker", "buildah", "skopeo", "git", "qemu-user-static");
    }

    @Test
    void eachHealthcheckRunsAToolItsImageHas() {
        STAGES.forEach((serviceName, stageName) -> {
            List<String> test = compose.service(serviceName).healthcheck();
            assertEquals("CMD", test.getFirst(), serviceName + "'s healthcheck should name its tool: " + test);
            DockerfileStages.Stage stage = dockerfile.stage(stageName);
            String tool = test.get(1);
            assertTrue(
                    stage.aptPackages().contains(tool) || stage.copied().contains(tool),
                    serviceName + "'s healthcheck runs " + tool + ", which stage " + stageName + " neither installs "
                            + stage.aptPackages() + " nor copies in " + stage.copied());
        });
    }

    @Test
    void theFarmsRegistryNameIsTheOnePublishedOnTheHostAndTheLaunchersToo() {
        String name = launcher.registry();
        String port = name.substring(name.lastIndexOf(':') + 1);
        assertTrue(
                compose.service("registry").list("ports").contains(name + ":" + port),
                "the registry should publish " + name + " on the host, from its port " + port + ": "
                        + compose.service("registry").list("ports"));
        for (String serviceName : List.of("scheduler", "worker-native", "worker-emulated")) {
            Service service = compose.service(serviceName);
            assertEquals(name, service.environment().get("ARCHFARM_REGISTRY_INSECURE"), serviceName);
            assertEquals(
                    "registry",
                    service.networkOf().orElse(""),
                    serviceName + " must run in the registry's " + "network namespace, where " + name
                            + " is the registry");
        }
    }

    @Test
    void eachPartGetsEverySettingTheLauncherGivesIt() {
        assertSettings("portal", launcher.portal());
        assertSettings("scheduler", launcher.scheduler());
        assertSettings("worker-native", launcher.everyWorker());
        assertSettings("worker-emulated", launcher.everyWorker());
    }

    @Test
    void theWorkersOfferWhatTheLaunchersWorkersOffer() {
        assertEquals(
                WORKERS.keySet(),
                Set.copyOf(launcher.workers().stream()
                        .map(LauncherParts.Worker::id)
                        .toList()),
                "the launcher's workers");
        for (LauncherParts.Worker worker : launcher.workers()) {
            Service service = compose.service(WORKERS.get(worker.id()));
            Map<String, String> environment = service.environment();
            assertEquals(worker.slots(), environment.get("ARCHFARM_WORKER_SLOTS"), service.name() + "'s slots");
            assertPlatforms(service, "ARCHFARM_WORKER_NATIVE_PLATFORMS", worker.nativePlatforms());
            assertPlatforms(service, "ARCHFARM_WORKER_EMULATED_PLATFORMS", worker.emulatedPlatforms());
            if (worker.emulatedPlatforms().isEmpty()) {
                String binfmt = environment.get("ARCHFARM_WORKER_BINFMT_DIR");
                assertTrue(
                        service.list("volumes").contains("/proc/sys/fs/binfmt_misc:" + binfmt + ":ro"),
                        service.name() + " detects emulation: it needs the host's binfmt_misc mounted at "
                                + "ARCHFARM_WORKER_BINFMT_DIR (" + binfmt + "): " + service.list("volumes"));
            }
        }
    }

    private void assertInstalls(String stageName, String... packages) {
        Set<String> installed = dockerfile.stage(stageName).aptPackages();
        for (String pkg : packages) {
            assertTrue(
                    installed.contains(pkg),
                    "the Dockerfile's " + stageName + " stage should install " + pkg + "; it installs " + installed);
        }
    }

    private void assertSettings(String serviceName, Set<String> launcherSettings) {
        Set<String> given =
                new TreeSet<>(compose.service(serviceName).environment().keySet());
        given.addAll(dockerfile.stage(STAGES.get(serviceName)).environment());
        Set<String> missing = new TreeSet<>(launcherSettings);
        missing.removeAll(given);
        assertTrue(missing.isEmpty(), serviceName + " lacks " + missing + ", which the launcher gives it");
    }

    /** A list the launcher leaves empty is detected, so compose leaves it unset; any other it sets alike. */
    private static void assertPlatforms(Service service, String variable, String launcherValue) {
        String value = service.environment().get(variable);
        if (launcherValue.isEmpty()) {
            assertFalse(
                    service.environment().containsKey(variable),
                    service.name() + " should detect " + variable + " as the launcher's worker does, not set it to "
                            + value);
        } else {
            assertEquals(launcherValue, value, service.name() + "'s " + variable);
        }
    }

    private static boolean validateWithCompose() {
        String setting = System.getProperty(SWITCH, "full").trim().toLowerCase(Locale.ROOT);
        return switch (setting) {
            case "", "full" -> true;
            case "parse-only" -> false;
            default ->
                throw new IllegalArgumentException("-D" + SWITCH + "=" + setting
                        + " is not one of: full (the default: docker-compose config must pass), parse-only");
        };
    }

    private record Run(int exitCode, String output) {}

    /** {@code docker-compose config -q} on the file, with these of its required secrets set. */
    private static Run dockerCompose(Map<String, String> secrets) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("docker-compose", "-f", COMPOSE.toString(), "config", "-q")
                .directory(ROOT.toFile())
                .redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.startsWith("COMPOSE_") || name.startsWith("ARCHFARM_"));
        environment.putAll(secrets);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("docker-compose config did not finish within 60 s");
        }
        return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    }
}
