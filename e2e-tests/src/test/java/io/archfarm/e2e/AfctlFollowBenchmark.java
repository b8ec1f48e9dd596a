package io.archfarm.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Figures for {@code afctl build --follow} against what a script does without it, not a test:
 * scripts/afctl-benchmark.sh runs it (-Dtest=AfctlFollowBenchmark; the name keeps it out of mvn verify). On a farm of
 * a native linux/amd64 worker and an emulating linux/arm64 one, builds of both platforms without the layer cache
 * alternate between the real afctl (wrapper and jar, {@code --follow --progress plain}) and a curl poll loop (POST the
 * build, GET it every second until it ended, GET its manifest list), each timed by GNU time. Per way: the client's
 * wall time, its CPU (user + system, all its processes), and how long after the build's end (its {@code finishedAt})
 * the client exited. Also afctl's bare start ({@code afctl --version}).
 */
class AfctlFollowBenchmark {

    private static final String TEAM = "bench";
    private static final String USER = "bench";
    private static final String PASSWORD = "bench-password-for-afctl";
    private static final Pattern BUILD_ID = Pattern.compile("Build ([0-9a-f-]{36}) accepted");
    private static final Pattern CURL_BUILD = Pattern.compile("(?m)^([0-9a-f-]{36})$");

    /** One client's run of one build. */
    record Sample(String way, String buildId, double wall, double cpu, double buildSeconds, double endToExit) {}

    @TempDir
    Path home;

    @Test
    void afctlFollowAgainstACurlPollLoop() throws Exception {
        int builds = Integer.getInteger("archfarm.bench.builds", 5);
        try (Farm farm = Farm.start(
                "afctl-bench",
                List.of(
                        new Farm.WorkerSpec("native-1", "linux/amd64", "none", 1),
                        new Farm.WorkerSpec("emulated-1", "none", "linux/arm64", 1)))) {
            String token = farm.portal().developerOfNewTeam(TEAM, USER, PASSWORD);
            AfctlProcess afctl = new AfctlProcess(home);
            AfctlProcess.Result login = afctl.runWithInput(
                    token,
                    Duration.ofMinutes(1),
                    "login",
                    "--token-stdin",
                    farm.portal().baseUrl());
            assertThat(login.exitCode()).as(login.printed()).isZero();
            String repository = farm.git()
                    .createRepository(
                            "bench",
                            Map.of(
                                    "Containerfile",
                                    farm.fromBaseImage() + "RUN uname -m | tee /arch\nCOPY hello /hello\n",
                                    "hello",
                                    "hello\n"));
            String image = farm.registry() + "/" + TEAM + "/bench";

            List<Double> starts = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                starts.add(timed(List.of(afctl.executable().toString(), "--version"), afctlEnv(afctl))
                        .wall());
            }
            List<Sample> samples = new ArrayList<>();
            for (int i = 0; i < builds; i++) {
                samples.add(withAfctl(farm, afctl, repository, image));
                samples.add(withCurl(farm, token, repository, image));
            }
            report(samples, starts);
        }
    }

    private Sample withAfctl(Farm farm, AfctlProcess afctl, String repository, String image) {
        Timed run = timed(
                List.of(
                        afctl.executable().toString(),
                        "build",
                        "--platform",
                        "linux/amd64,linux/arm64",
                        "--tag",
                        image + ":afctl",
                        "--team",
                        TEAM,
                        "--no-cache",
                        "--follow",
                        "--progress",
                        "plain",
                        repository,
                        "main"),
                afctlEnv(afctl));
        assertThat(run.exitCode()).as(run.out()).isZero();
        Matcher id = BUILD_ID.matcher(run.out());
        assertThat(id.find()).as(run.out()).isTrue();
        return sample(farm, "afctl build --follow", id.group(1), run);
    }

    private Sample withCurl(Farm farm, String token, String repository, String image) {
        String body = Http.JSON.writeValueAsString(Map.of(
                "team",
                TEAM,
                "repository",
                repository,
                "ref",
                "main",
                "platforms",
                List.of("linux/amd64", "linux/arm64"),
                "image",
                image,
                "tags",
                List.of("curl"),
                "noCache",
                true));
        String script = """
                set -eu
                auth="Authorization: Bearer $TOKEN"
                id=$(curl -sf -H "$auth" -H 'Content-Type: application/json' -d "$BODY" "$FARM/api/v1/builds" \\
                    | jq -r .id)
                while :; do
                    status=$(curl -sf -H "$auth" "$FARM/api/v1/builds/$id" | jq -r .status)
                    case $status in SUCCEEDED|FAILED|PARTIAL|CANCELLED) break ;; esac
                    sleep 1
                done
                curl -sf -H "$auth" "$FARM/api/v1/builds/$id" | jq -c .manifestList >/dev/null
                echo "$id"
                """;
        Timed run = timed(
                List.of("bash", "-c", script),
                Map.of(
                        "TOKEN",
                        token,
                        "BODY",
                        body,
                        "FARM",
                        farm.portal().baseUrl(),
                        "PATH",
                        System.getenv().getOrDefault("PATH", "/usr/bin:/bin")));
        assertThat(run.exitCode()).as(run.out()).isZero();
        Matcher id = CURL_BUILD.matcher(run.out());
        assertThat(id.find()).as(run.out()).isTrue();
        return sample(farm, "curl poll loop (1 s)", id.group(1), run);
    }

    private static Map<String, String> afctlEnv(AfctlProcess afctl) {
        return Map.of(
                "HOME",
                afctl.home().toString(),
                "JAVA_HOME",
                System.getProperty("java.home"),
                "PATH",
                System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    private static Sample sample(Farm farm, String way, String buildId, Timed run) {
        JsonNode build = farm.portal().build(buildId);
        assertThat(build.path("status").asString()).isEqualTo("SUCCEEDED");
        Instant created = Instant.parse(build.path("createdAt").asString());
        Instant finished = Instant.parse(build.path("finishedAt").asString());
        return new Sample(
                way,
                buildId,
                run.wall(),
                run.user() + run.system(),
                seconds(Duration.between(created, finished)),
                seconds(Duration.between(finished, run.exited())));
    }

    /** A process run under GNU time: its wall, user and system seconds (its children included), and when it ended. */
    record Timed(int exitCode, String out, double wall, double user, double system, Instant exited) {}

    private Timed timed(List<String> command, Map<String, String> env) {
        try {
            Path times = Files.createTempFile(home, "time", ".txt");
            List<String> full = new ArrayList<>(List.of("/usr/bin/time", "-o", times.toString(), "-f", "%e %U %S"));
            full.addAll(command);
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new AssertionError(command + " did not end within 10 minutes");
            }
            Instant exited = Instant.now();
            String[] figures = Files.readString(times)
                    .strip()
                    .lines()
                    .reduce((a, b) -> b)
                    .orElseThrow()
                    .split(" ");
            return new Timed(
                    process.exitValue(),
                    out,
                    Double.parseDouble(figures[0]),
                    Double.parseDouble(figures[1]),
                    Double.parseDouble(figures[2]),
                    exited);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static void report(List<Sample> samples, List<Double> starts) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("afctl build --follow against a curl poll loop: builds of linux/amd64 (native) and linux/arm64 "
                + "(emulated) without the layer cache, alternating");
        out.add(String.format(
                Locale.ROOT,
                "%-24s %6s %8s %8s %12s %8s %12s",
                "client",
                "builds",
                "build s",
                "wall s",
                "wall-build s",
                "CPU s",
                "end->exit s"));
        for (String way : samples.stream().map(Sample::way).distinct().toList()) {
            List<Sample> of = samples.stream().filter(s -> s.way().equals(way)).toList();
            out.add(String.format(
                    Locale.ROOT,
                    "%-24s %6d %8s %8s %12s %8s %12s",
                    way,
                    of.size(),
                    median(of, Sample::buildSeconds),
                    median(of, Sample::wall),
                    median(of, s -> s.wall() - s.buildSeconds()),
                    median(of, Sample::cpu),
                    median(of, Sample::endToExit)));
        }
        out.add("(medians; build s = the build's createdAt to finishedAt; wall and CPU = the client's whole run, CPU "
                + "user + system of all its processes; wall-build = what the client added to the build, per build; "
                + "end->exit = the build's finishedAt to the client's exit)");
        out.add(String.format(
                Locale.ROOT,
                "afctl --version (the JVM's start alone): median %.2f s wall of %d",
                starts.stream().sorted().toList().get(starts.size() / 2),
                starts.size()));
        samples.forEach(s -> out.add(String.format(
                Locale.ROOT,
                "  %s %s build %.1f s, wall %.2f s, CPU %.2f s, " + "end->exit %.2f s",
                s.way(),
                s.buildId(),
                s.buildSeconds(),
                s.wall(),
                s.cpu(),
                s.endToExit())));
        out.forEach(System.out::println);
        String file = System.getProperty("archfarm.bench.out");
        if (file != null) {
            Files.write(Path.of(file), out);
        }
    }

    private static String median(List<Sample> samples, ToDoubleFunction<Sample> figure) {
        double[] sorted = samples.stream().mapToDouble(figure).sorted().toArray();
        return String.format(Locale.ROOT, "%.2f", sorted[sorted.length / 2]);
    }
}
