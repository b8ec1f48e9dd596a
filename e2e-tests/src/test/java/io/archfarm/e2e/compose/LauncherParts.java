package io.archfarm.e2e.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the launcher ({@code ./archfarm up}) gives each part it starts as a plain process: the environment variables
 * of the portal and the scheduler, those every worker gets, and the workers it starts. Read from the script itself,
 * so that a setting added there and forgotten in docker-compose.yml fails {@code ComposeFileIT}.
 */
record LauncherParts(
        Set<String> portal, Set<String> scheduler, Set<String> everyWorker, List<Worker> workers, String registry) {

    /** A {@code start_worker <id> <native> <emulated> <slots>} line; an empty list is left to detection. */
    record Worker(String id, String nativePlatforms, String emulatedPlatforms, String slots) {}

    private static final Pattern SETTING = Pattern.compile("(?:^|[\\s(])((?:ARCHFARM|SPRING|SERVER)_[A-Z0-9_]+)=");
    private static final Pattern LOCAL_SETTINGS = Pattern.compile("local settings=\\(([^)]*)\\)");
    private static final Pattern START_WORKER = Pattern.compile("^start_worker (\\S+) (\"\"|\\S+) (\"\"|\\S+) (\\S+)$");
    private static final Pattern REGISTRY_PORT = Pattern.compile("REGISTRY_PORT=\\$\\{ARCHFARM_REGISTRY_PORT:-(\\d+)}");
    /** The registry is where the launcher binds, by default loopback: {@code REGISTRY=$HERE:$REGISTRY_PORT}. */
    private static final Pattern REGISTRY = Pattern.compile("(?m)^REGISTRY=\\$HERE:\\$REGISTRY_PORT$");

    private static final Pattern BIND_ADDRESS =
            Pattern.compile("(?m)^BIND_ADDRESS=\\$\\{ARCHFARM_BIND_ADDRESS:-([0-9.]+)}$");

    static LauncherParts read(Path launcher) {
        String script;
        try {
            script = Files.readString(launcher);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + launcher, e);
        }
        List<String> lines = logicalLines(script);
        Set<String> broker = brokerSettings(script);
        Set<String> scheduler = new LinkedHashSet<>(settingsOf(lines, "start_with_broker scheduler "));
        scheduler.addAll(broker);
        Set<String> everyWorker = new LinkedHashSet<>(
                names(find(LOCAL_SETTINGS, function(script, "start_worker"), "start_worker's settings")
                        .group(1)));
        everyWorker.addAll(broker);
        return new LauncherParts(
                settingsOf(lines, "java_part portal "), scheduler, everyWorker, workers(lines), registry(script));
    }

    /**
     * What {@code start_with_broker} gives the scheduler and every worker: the broker's address, virtual host, user
     * and password. Its TLS settings come only with {@code ARCHFARM_AMQP_CA}, which the stack does not use.
     */
    private static Set<String> brokerSettings(String script) {
        Set<String> names = names(function(script, "start_with_broker"));
        names.removeIf(name -> name.contains("_SSL_"));
        if (!names.containsAll(Set.of("SPRING_RABBITMQ_ADDRESSES", "SPRING_RABBITMQ_PASSWORD"))) {
            throw new AssertionError("start_with_broker gives no broker address and password: " + names);
        }
        return names;
    }

    /** The body of the shell function {@code name}: from {@code name() {} to the first line that is only {@code }}. */
    private static String function(String script, String name) {
        int start = script.indexOf("\n" + name + "() {\n");
        if (start < 0) {
            throw new AssertionError("the launcher has no function " + name);
        }
        int end = script.indexOf("\n}\n", start);
        return script.substring(start, end < 0 ? script.length() : end);
    }

    private static String registry(String script) {
        find(REGISTRY, script, "REGISTRY=");
        return find(BIND_ADDRESS, script, "BIND_ADDRESS=").group(1) + ":"
                + find(REGISTRY_PORT, script, "REGISTRY_PORT=").group(1);
    }

    private static Set<String> settingsOf(List<String> lines, String call) {
        Set<String> names = new LinkedHashSet<>();
        lines.stream().filter(line -> line.contains(call)).forEach(line -> names.addAll(names(line)));
        if (names.isEmpty()) {
            throw new AssertionError("the launcher has no '" + call.strip() + "' with settings");
        }
        return names;
    }

    private static List<Worker> workers(List<String> lines) {
        List<Worker> workers = new ArrayList<>();
        for (String line : lines) {
            Matcher start = START_WORKER.matcher(line);
            if (start.matches()) {
                workers.add(
                        new Worker(start.group(1), unquote(start.group(2)), unquote(start.group(3)), start.group(4)));
            }
        }
        if (workers.isEmpty()) {
            throw new AssertionError("the launcher starts no worker with start_worker");
        }
        return workers;
    }

    private static Set<String> names(String text) {
        Set<String> names = new LinkedHashSet<>();
        Matcher setting = SETTING.matcher(text);
        while (setting.find()) {
            names.add(setting.group(1));
        }
        return names;
    }

    private static Matcher find(Pattern pattern, String script, String what) {
        Matcher matcher = pattern.matcher(script);
        if (!matcher.find()) {
            throw new AssertionError("the launcher has no " + what + " matching " + pattern);
        }
        return matcher;
    }

    private static String unquote(String value) {
        return value.equals("\"\"") ? "" : value;
    }

    /** The script's lines with backslash continuations joined and leading blanks removed. */
    private static List<String> logicalLines(String script) {
        List<String> logical = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : script.split("\n")) {
            String line = raw.strip();
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
            } else {
                logical.add(pending.append(line).toString());
                pending.setLength(0);
            }
        }
        return logical;
    }
}
