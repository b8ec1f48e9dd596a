package io.archfarm.afctl.cli;

import io.archfarm.afctl.api.FarmApi;
import java.io.Console;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Everything one run of afctl takes from outside: the environment, the home directory, the standard streams, a way to
 * ask for a secret without echo, the terminal and the clock. Commands get it through their constructor, so a test
 * runs them with its own.
 */
public final class Invocation {

    private final Map<String, String> env;
    private final Path home;
    private final PrintWriter out;
    private final PrintWriter err;
    private final InputStream in;
    private final Function<String, Optional<char[]>> secretPrompt;
    private final Terminal terminal;
    private final Clock clock;
    private @Nullable FarmApi api;

    /** @param secretPrompt asks the person at the terminal for a secret, without echo; empty without a terminal */
    public Invocation(
            Map<String, String> env,
            Path home,
            PrintWriter out,
            PrintWriter err,
            InputStream in,
            Function<String, Optional<char[]>> secretPrompt,
            Terminal terminal,
            Clock clock) {
        this.env = Map.copyOf(env);
        this.home = home;
        this.out = out;
        this.err = err;
        this.in = in;
        this.secretPrompt = secretPrompt;
        this.terminal = terminal;
        this.clock = clock;
    }

    public static Invocation ofSystem() {
        Map<String, String> env = System.getenv();
        Console console = System.console();
        return new Invocation(
                env,
                Path.of(env.getOrDefault("HOME", System.getProperty("user.home"))),
                writer(System.out),
                writer(System.err),
                System.in,
                prompt -> console == null ? Optional.empty() : Optional.ofNullable(console.readPassword("%s", prompt)),
                Terminal.detect(env),
                Clock.systemUTC());
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }

    public Map<String, String> env() {
        return env;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    public Optional<char[]> askSecret(String prompt) {
        return secretPrompt.apply(prompt);
    }

    public Terminal terminal() {
        return terminal;
    }

    public Clock clock() {
        return clock;
    }

    public Instant now() {
        return clock.instant();
    }

    public Path configFile() {
        return ConfigFile.location(env, home);
    }

    /** A warning on standard error, which never stops the command. */
    public void warn(String message) {
        err.println("afctl: warning: " + message);
        err.flush();
    }

    /** The farm this run talks to, from the environment or the config file ({@link FarmTarget}). */
    public FarmTarget target() {
        return FarmTarget.resolve(env, configFile(), this::warn);
    }

    /** The API of {@link #target()}, made once per run. */
    public FarmApi api() {
        if (api == null) {
            FarmTarget target = target();
            api = new FarmApi(target.url(), target.token(), userAgent());
        }
        return api;
    }

    public static String userAgent() {
        return "afctl/" + Version.client();
    }
}
