package io.archfarm.afctl.builds;

import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.api.Query;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import io.archfarm.afctl.text.Lines;
import io.archfarm.model.Platform;
import io.archfarm.model.UnknownPlatformException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl logs [-f] BUILD [--platform P]}: a build's logs, every attempt under its own header. Without
 * {@code --platform} a build of several platforms shows each log under {@code ==> platform <==}, or, followed, each
 * line after its platform's name, as the lines come.
 */
@Command(
        name = "logs",
        header = "Print a build's logs.",
        description = "Every attempt of each platform under its own header; -f follows them until the build ends. "
                + "-o json: [{platform, log}], or with -f one {platform, text} object per line as it comes.")
public final class LogsCommand implements Callable<Integer> {

    @Parameters(paramLabel = "BUILD", description = "the build's id, or its first 8 or more hex digits")
    String build;

    @Option(names = "--platform", paramLabel = "PLATFORM", description = "only this platform's log")
    @Nullable
    String platform;

    @Option(
            names = {"-f", "--follow"},
            description = "follow the logs until the build ends")
    boolean follow;

    @Mixin
    OutputOption output;

    @Spec
    CommandSpec spec;

    private final Invocation invocation;

    LogsCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        String only = platform == null ? null : canonical(platform);
        FarmApi api = invocation.api();
        String id = BuildIds.resolve(api, build);
        if (follow) {
            LogPrinter printer = new LogPrinter(invocation.out(), only, output.json());
            new BuildFollower(api).follow(id, true, BuildFollower.Until.LOGS_QUIET, printer);
            printer.unfinishedLines();
            return ExitCodes.OK;
        }
        List<String> platforms = only != null
                ? List.of(only)
                : Build.of(api.get("/api/v1/builds/" + id)).platforms().stream()
                        .map(Build.PlatformJob::platform)
                        .toList();
        Map<String, String> logs = new LinkedHashMap<>();
        for (String name : platforms) {
            logs.put(name, api.text(Query.path("/api/v1/builds/" + id + "/logs").with("platform", name)));
        }
        print(logs);
        return ExitCodes.OK;
    }

    private void print(Map<String, String> logs) {
        PrintWriter out = invocation.out();
        if (output.json()) {
            List<Map<String, String>> array = new ArrayList<>();
            logs.forEach((name, log) -> array.add(Map.of("platform", name, "log", log)));
            out.println(Json.pretty(array));
            return;
        }
        boolean headers = logs.size() > 1;
        logs.forEach((name, log) -> {
            if (headers) {
                out.println("==> " + name + " <==");
            }
            out.print(log);
            if (!log.isEmpty() && !log.endsWith("\n")) {
                out.println();
            }
            if (headers) {
                out.println();
            }
        });
        out.flush();
    }

    private String canonical(String name) {
        try {
            return Platform.parse(name).toString();
        } catch (UnknownPlatformException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Log text as it comes: raw for one platform, else each whole line after its platform's name. */
    static final class LogPrinter implements BuildFollower.Listener {

        private final PrintWriter out;
        private final @Nullable String only;
        private final boolean json;
        private final Map<String, Lines> lines = new HashMap<>();

        LogPrinter(PrintWriter out, @Nullable String only, boolean json) {
            this.out = out;
            this.only = only;
            this.json = json;
        }

        @Override
        public void build(JsonNode view, Build build) {
            // the logs are all this shows
        }

        @Override
        public void log(String name, String text) {
            if (only != null && !only.equals(name)) {
                return;
            }
            if (json) {
                out.println(Json.MAPPER.writeValueAsString(Map.of("platform", name, "text", text)));
            } else if (only != null) {
                out.print(text);
            } else {
                lines.computeIfAbsent(name, p -> new Lines())
                        .add(text)
                        .forEach(line -> out.println(name + " | " + line));
            }
            out.flush();
        }

        @Override
        public void quiet() {
            // nothing to redraw
        }

        /** The last lines of logs that did not end with a line break, once the build has ended. */
        void unfinishedLines() {
            lines.forEach((name, pending) -> {
                if (!pending.unfinished().isEmpty()) {
                    out.println(name + " | " + pending.unfinished());
                }
            });
            out.flush();
        }
    }
}
