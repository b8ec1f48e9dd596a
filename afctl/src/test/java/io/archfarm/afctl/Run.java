package io.archfarm.afctl;

import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.Terminal;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One run of afctl inside the test's JVM: its environment, home, standard input and terminal, and what it printed. */
final class Run {

    record Result(int exitCode, String out, String err) {}

    private final Map<String, String> env = new HashMap<>();
    private final Path home;
    private String stdin = "";
    private Terminal terminal = Terminal.NONE;
    private Clock clock = Clock.fixed(Instant.parse("2025-06-01T12:01:00Z"), ZoneOffset.UTC);

    Run(Path home) {
        this.home = home;
    }

    /** A run configured for {@code farm} by the environment, with a token of its own. */
    static Run against(FakeFarm farm, Path home) {
        return new Run(home).env("AFCTL_URL", farm.url()).env("AFCTL_TOKEN", "t");
    }

    Run env(String name, String value) {
        env.put(name, value);
        return this;
    }

    Run stdin(String text) {
        stdin = text;
        return this;
    }

    Run terminal(Terminal value) {
        terminal = value;
        return this;
    }

    Run clock(Clock value) {
        clock = value;
        return this;
    }

    Result afctl(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Invocation invocation = new Invocation(
                env,
                home,
                new PrintWriter(out, true),
                new PrintWriter(err, true),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                prompt -> Optional.empty(),
                terminal,
                clock);
        int code = Afctl.run(invocation, args);
        return new Result(code, out.toString(), err.toString());
    }
}
