package io.archfarm.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * CPU time of groups of processes from {@code /proc/<pid>/stat} (utime + stime, in clock ticks of 10 ms), and of the
 * whole machine from {@code /proc/stat}, so that a run can say what share of its wall time × cores each part used.
 * A process's time includes its children that ended and were waited for; one that ends between two readings without
 * a parent among the group loses its time.
 */
final class ProcessCpu {

    private static final double TICK_SECONDS = 0.01;

    /** CPU seconds by group, and the machine's busy and total CPU seconds, at one moment. */
    record Reading(long nanos, Map<String, Double> seconds, double machineBusy, double machineTotal) {}

    private ProcessCpu() {}

    /** The machine's RabbitMQ (the beam.smp whose home is /var/lib/rabbitmq) and every postgres process. */
    static Map<String, List<Long>> services() {
        Map<String, List<Long>> groups = new LinkedHashMap<>();
        groups.put("RabbitMQ (beam.smp)", pids(cmd -> cmd.contains("beam.smp") && cmd.contains("/var/lib/rabbitmq")));
        groups.put("PostgreSQL (all postgres processes)", pids(cmd -> cmd.startsWith("postgres")));
        return groups;
    }

    static Reading read(Map<String, List<Long>> groups) {
        Map<String, Double> seconds = new LinkedHashMap<>();
        groups.forEach((name, pids) ->
                seconds.put(name, pids.stream().mapToDouble(ProcessCpu::seconds).sum()));
        double[] machine = machine();
        return new Reading(System.nanoTime(), seconds, machine[0], machine[1]);
    }

    private static List<Long> pids(Predicate<String> matches) {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                try {
                    String comm = Files.readString(p.resolve("comm")).trim();
                    String cmd = comm + " "
                            + new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8)
                                    .replace('\0', ' ');
                    if (matches.test(cmd)) {
                        pids.add(Long.parseLong(p.getFileName().toString()));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private static double seconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // from the state (field 3) on: utime, stime and the waited-for children's cutime, cstime are fields 14-17
            // (the children: git processes a portal or git daemon runs, backends that ended)
            return (Long.parseLong(fields[11])
                            + Long.parseLong(fields[12])
                            + Long.parseLong(fields[13])
                            + Long.parseLong(fields[14]))
                    * TICK_SECONDS;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Busy and total CPU seconds of the machine since boot (all cores). */
    private static double[] machine() {
        try {
            String[] cpu =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < cpu.length; i++) {
                total += Long.parseLong(cpu[i]);
            }
            long idle = Long.parseLong(cpu[4]) + Long.parseLong(cpu[5]);
            return new double[] {(total - idle) * TICK_SECONDS, total * TICK_SECONDS};
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
