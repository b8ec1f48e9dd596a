package io.archfarm.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Figures for the control plane at fleet scale, not a test: scripts/control-plane-benchmark.sh runs it
 * (-Dtest=ControlPlaneBenchmark; the name keeps it out of mvn verify). Two portals and two schedulers (real
 * processes) on the machine's PostgreSQL and RabbitMQ and a real registry, {@link SimulatedFleet} workers (1,000 by
 * default) and builds of 3 platforms at rising rates through the API and signed push webhooks ({@link SimulatedBuilds}).
 * Per simulated build time and rate: builds/s accepted and completed, whether the backlog drained, dispatch latency
 * (QUEUED to RUNNING), the control plane's overhead, and the CPU share of each part. Every step is bounded in count
 * and time; stepping up stops at the first rate that is not sustained.
 */
class ControlPlaneBenchmark {

    private static final List<String> PLATFORMS = List.of("linux/amd64", "linux/arm64", "linux/s390x");
    private static final String ENDED = "('SUCCEEDED', 'FAILED', 'PARTIAL', 'CANCELLED')";
    private static final Duration DRAIN_LIMIT = Duration.ofSeconds(90);

    private final int workers = Integer.getInteger("archfarm.sim.workers", 1000);
    private final int slots = Integer.getInteger("archfarm.sim.slots", 1);
    private final int projects = Integer.getInteger("archfarm.sim.projects", 40);
    private final int webhookEvery = Integer.getInteger("archfarm.sim.webhook-every", 4);
    private final int seconds = Integer.getInteger("archfarm.sim.step-seconds", 20);
    private final int controlPlanes = Integer.getInteger("archfarm.sim.control-planes", 2);
    private final Duration heartbeat = Duration.ofMillis(Long.getLong("archfarm.sim.heartbeat-ms", 3000));
    private final List<Integer> rates = ints(System.getProperty("archfarm.sim.rates", "10,25,50,100,200"));
    private final List<Integer> buildTimes = ints(System.getProperty("archfarm.sim.build-ms", "0,500"));
    private final List<String> out = new ArrayList<>();
    private Farm farm;

    @Test
    void printsTheFigures() throws Exception {
        long runStart = System.nanoTime();
        try (Farm started = Farm.start("control-plane-bench", List.of())) {
            farm = started;
            List<PortalClient> portals = new ArrayList<>(List.of(farm.portal()));
            for (int i = 2; i <= controlPlanes; i++) {
                portals.add(farm.startAnotherPortal("portal-" + i));
                farm.startAnotherScheduler("scheduler-" + i);
            }
            SimulatedBuilds builds = new SimulatedBuilds(farm, "sim", PLATFORMS, portals);
            List<String> repositories = builds.createProjects(projects);
            var images = SimulatedImages.pushOnce(farm.registry(), PLATFORMS, repositories);
            long fleetStart = System.nanoTime();
            try (SimulatedFleet fleet = SimulatedFleet.start(
                    new SimulatedFleet.Settings(
                            workers, slots, PLATFORMS, Duration.ofMillis(buildTimes.getFirst()), heartbeat, 25, 1),
                    farm.prefix(),
                    images)) {
                header(fleetStart);
                print("");
                print("warm-up (the JVMs' JIT, pools and caches; not a figure):");
                step(fleet, builds, Math.max(1, rates.getFirst() / 2), buildTimes.getFirst());
                for (int buildMillis : buildTimes) {
                    fleet.buildTime(Duration.ofMillis(buildMillis));
                    print("");
                    print("simulated build time " + buildMillis + " ms");
                    for (int rate : rates) {
                        if (!step(fleet, builds, rate, buildMillis)) {
                            print("  stepping up stops here: " + rate + " builds/s was not sustained");
                            break;
                        }
                    }
                }
                print("");
                print("fleet: " + fleet.counters);
            }
        } finally {
            print(String.format("whole run %.0f s", (System.nanoTime() - runStart) / 1e9));
            write();
        }
    }

    private void header(long fleetStart) {
        print("Control plane with a simulated fleet (scripts/control-plane-benchmark.sh), "
                + Runtime.getRuntime().availableProcessors() + " cores, everything on this one machine");
        print(String.format(
                "%d simulated workers (%d slot%s each, native on one of %s, heart-beating every %d ms),"
                        + " %d connections; fleet ready in %.1f s",
                workers,
                slots,
                slots == 1 ? "" : "s",
                PLATFORMS,
                heartbeat.toMillis(),
                (workers + 24) / 25,
                (System.nanoTime() - fleetStart) / 1e9));
        print(controlPlanes + " portal(s) and " + controlPlanes + " scheduler(s) (JVM options: "
                + (Farm.javaOpts().isEmpty() ? "scripts/farm-part.sh's defaults" : Farm.javaOpts())
                + "), the machine's PostgreSQL and RabbitMQ, one docker-registry; " + projects
                + " projects, every " + webhookEvery + "th build a signed GitHub push, the rest POST /api/v1/builds;"
                + " each step " + seconds + " s of arrivals, then the backlog drains (at most "
                + DRAIN_LIMIT.toSeconds() + " s)");
    }

    /** One rate: true when every build was accepted and the backlog drained within a few seconds after it. */
    private boolean step(SimulatedFleet fleet, SimulatedBuilds builds, int rate, int buildMillis) {
        Map<String, List<Long>> groups = new LinkedHashMap<>(ProcessCpu.services());
        farm.pids().forEach((name, pid) -> groups.put(name, List.of(pid)));
        groups.put(
                "simulator (this JVM: fleet and clients)",
                List.of(ProcessHandle.current().pid()));
        ProcessCpu.Reading before = ProcessCpu.read(groups);
        List<SimulatedBuilds.Submitted> submitted = builds.submit(
                rate, rate * seconds, Duration.ofSeconds(seconds), webhookEvery, Math.min(128, Math.max(8, rate * 2)));
        long loadEnd = System.nanoTime();
        List<String> ids = submitted.stream()
                .filter(SimulatedBuilds.Submitted::accepted)
                .map(SimulatedBuilds.Submitted::buildId)
                .toList();
        String[] idArray = ids.toArray(String[]::new);
        long backlog = open(idArray);
        long drainDeadline = loadEnd + DRAIN_LIMIT.toNanos();
        while (open(idArray) > 0 && System.nanoTime() < drainDeadline) {
            SimulatedFleet.sleep(Duration.ofMillis(200));
        }
        double drain = (System.nanoTime() - loadEnd) / 1e9;
        long left = open(idArray);
        ProcessCpu.Reading after = ProcessCpu.read(groups);

        long first = submitted.stream()
                .mapToLong(SimulatedBuilds.Submitted::submittedNanos)
                .min()
                .orElse(loadEnd);
        long lastAnswer = submitted.stream()
                .mapToLong(SimulatedBuilds.Submitted::answeredNanos)
                .max()
                .orElse(loadEnd);
        Map<String, Object> b = one(
                "select count(*) filter (where status = 'SUCCEEDED') as ok,"
                        + " count(*) filter (where status in ('FAILED', 'PARTIAL', 'CANCELLED')) as bad,"
                        + " extract(epoch from max(finished_at) - min(created_at)) as span,"
                        + " percentile_cont(0.5) within group (order by extract(epoch from finished_at - created_at) * 1000)"
                        + "   filter (where status = 'SUCCEEDED') as e2e50,"
                        + " percentile_cont(0.99) within group (order by extract(epoch from finished_at - created_at) * 1000)"
                        + "   filter (where status = 'SUCCEEDED') as e2e99"
                        + " from builds where id = any(?::uuid[])",
                (Object) idArray);
        Map<String, Object> d = one(
                "select percentile_cont(0.5) within group (order by ms) as p50,"
                        + " percentile_cont(0.95) within group (order by ms) as p95,"
                        + " percentile_cont(0.99) within group (order by ms) as p99, max(ms) as max, count(*) as n"
                        + " from (select extract(epoch from started_at - queued_at) * 1000 as ms from platform_jobs"
                        + "   where build_id = any(?::uuid[]) and started_at is not null) q",
                (Object) idArray);
        Map<String, Object> attempts = one(
                "select count(*) as n from job_attempts a join platform_jobs j"
                        + " on j.id = a.job_id where j.build_id = any(?::uuid[])",
                (Object) idArray);
        double[] answers = submitted.stream()
                .mapToDouble(s -> (s.answeredNanos() - s.submittedNanos()) / 1e6)
                .sorted()
                .toArray();
        long refused = submitted.size() - ids.size();
        boolean sustained = refused == 0 && left == 0 && drain < 5 + buildMillis / 1000.0;

        print(String.format(
                "  %d builds/s asked: %d asked in %.1f s, %d accepted (%.1f/s accepted; %d refused: %s),"
                        + " portal answer p50 %.0f ms p99 %.0f ms",
                rate,
                submitted.size(),
                (lastAnswer - first) / 1e9,
                ids.size(),
                ids.size() / ((lastAnswer - first) / 1e9),
                refused,
                refusals(submitted),
                pct(answers, 0.5),
                pct(answers, 0.99)));
        print(String.format(
                "    completed: %s SUCCEEDED, %s failed, %d still open after the drain; %.1f builds/s"
                        + " completed (first accepted to last ended); backlog when arrivals stopped %d builds, drained in"
                        + " %.1f s -> %s",
                b.get("ok"),
                b.get("bad"),
                left,
                num(b.get("ok")) / Math.max(0.001, num(b.get("span"))),
                backlog,
                drain,
                sustained ? "SUSTAINED" : "NOT sustained"));
        print(String.format(
                "    dispatch QUEUED->RUNNING (platform_jobs.queued_at -> started_at, %s jobs, %s"
                        + " attempts): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms",
                d.get("n"),
                attempts.get("n"),
                num(d.get("p50")),
                num(d.get("p95")),
                num(d.get("p99")),
                num(d.get("max"))));
        print(String.format(
                "    control-plane overhead (accepted -> SUCCEEDED, minus the %d ms build): p50 %.0f ms,"
                        + " p99 %.0f ms",
                buildMillis, num(b.get("e2e50")) - buildMillis, num(b.get("e2e99")) - buildMillis));
        print("    CPU share of wall time x cores over the step: " + cpuShares(before, after));
        return sustained;
    }

    private String cpuShares(ProcessCpu.Reading before, ProcessCpu.Reading after) {
        double wall = (after.nanos() - before.nanos()) / 1e9;
        double capacity = wall * Runtime.getRuntime().availableProcessors();
        String parts = after.seconds().entrySet().stream()
                .map(e -> String.format(
                        "%s %.0f%%",
                        e.getKey(), 100 * (e.getValue() - before.seconds().getOrDefault(e.getKey(), 0.0)) / capacity))
                .collect(Collectors.joining(", "));
        return parts
                + String.format(
                        "; the whole machine %.0f%% busy",
                        100
                                * (after.machineBusy() - before.machineBusy())
                                / (after.machineTotal() - before.machineTotal()));
    }

    private static String refusals(List<SimulatedBuilds.Submitted> submitted) {
        Map<Integer, Long> byStatus = submitted.stream()
                .filter(s -> !s.accepted())
                .collect(Collectors.groupingBy(SimulatedBuilds.Submitted::status, Collectors.counting()));
        return byStatus.isEmpty() ? "none" : byStatus.toString();
    }

    private long open(String[] ids) {
        return (long) num(
                one("select count(*) as n from builds where id = any(?::uuid[]) and status not in " + ENDED, (Object)
                                ids)
                        .get("n"));
    }

    private Map<String, Object> one(String sql, Object... parameters) {
        return farm.database().query(sql, parameters).getFirst();
    }

    private static double num(Object value) {
        return value == null ? Double.NaN : ((Number) value).doubleValue();
    }

    private static double pct(double[] sorted, double p) {
        return sorted.length == 0
                ? Double.NaN
                : sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
    }

    private static List<Integer> ints(String list) {
        return Arrays.stream(list.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
    }

    private void print(String line) {
        System.out.println(line);
        out.add(line);
    }

    private void write() throws IOException {
        String file = System.getProperty("archfarm.bench.out");
        if (file != null) {
            Files.write(Path.of(file), out);
        }
    }
}
