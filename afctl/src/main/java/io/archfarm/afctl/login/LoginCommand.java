package io.archfarm.afctl.login;

import io.archfarm.afctl.api.ApiError;
import io.archfarm.afctl.api.FarmApi;
import io.archfarm.afctl.api.Json;
import io.archfarm.afctl.cli.AfctlException;
import io.archfarm.afctl.cli.ConfigFile;
import io.archfarm.afctl.cli.ExitCodes;
import io.archfarm.afctl.cli.FarmTarget;
import io.archfarm.afctl.cli.Invocation;
import io.archfarm.afctl.cli.OutputOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code afctl login URL}: takes an API token (asked without echo, or read from standard input), checks it with the
 * farm ({@code GET /api/v1/users/me}) and only then writes the URL and the token to the config file. The token is
 * never printed.
 */
@Command(
        name = "login",
        sortOptions = false,
        header = "Log in to a farm with an API token.",
        description = "Asks for an API token (or reads it with --token-stdin), checks it with the farm at URL and "
                + "keeps both in the config file (~/.config/afctl/config, mode 0600). Make a token in the portal "
                + "(POST /api/v1/tokens) or with ./archfarm token. AFCTL_URL and AFCTL_TOKEN win over the file.")
public final class LoginCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "URL", description = "the farm's portal, e.g. http://127.0.0.1:8080")
    String url;

    @Option(names = "--token-stdin", description = "read the token from standard input instead of asking for it")
    boolean tokenStdin;

    @Mixin
    OutputOption output;

    private final Invocation invocation;

    LoginCommand(Invocation invocation) {
        this.invocation = invocation;
    }

    @Override
    public Integer call() {
        URI farm = FarmTarget.parseUrl(url, "the URL argument");
        String token = token(farm);
        JsonNode me = checked(farm, token);
        Path file = invocation.configFile();
        ConfigFile.write(file, new ConfigFile.Contents(farm.toString(), token));
        if (output.json()) {
            invocation.out().println(Json.pretty(me));
        } else {
            invocation.out().println("Logged in to " + farm + " as " + describe(me) + ".");
            invocation.out().println("Saved in " + file + " (mode 0600).");
        }
        if (invocation.env().containsKey("AFCTL_URL") || invocation.env().containsKey("AFCTL_TOKEN")) {
            invocation.warn("AFCTL_URL or AFCTL_TOKEN is set in this environment and wins over the file");
        }
        return ExitCodes.OK;
    }

    private String token(URI farm) {
        String token;
        if (tokenStdin) {
            try {
                token = new String(invocation.in().readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token from standard input", e);
            }
        } else {
            char[] typed = invocation
                    .askSecret("API token for " + farm + ": ")
                    .orElseThrow(() -> new AfctlException(
                            "no terminal to ask for the token on: give it on standard input with --token-stdin",
                            ExitCodes.USAGE));
            token = new String(typed).strip();
            Arrays.fill(typed, ' ');
        }
        if (token.isEmpty() || token.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw new AfctlException(
                    token.isEmpty() ? "the token is empty" : "the token holds blanks or control characters",
                    ExitCodes.USAGE);
        }
        return token;
    }

    private static JsonNode checked(URI farm, String token) {
        try {
            return new FarmApi(farm, token, Invocation.userAgent()).get("/api/v1/users/me");
        } catch (ApiError e) {
            if (e.unauthenticated()) {
                throw new AfctlException(
                        "the farm at " + farm + " refused the token: " + e.getMessage() + "; nothing was saved",
                        ExitCodes.UNREACHABLE);
            }
            throw e;
        }
    }

    /** {@code ada (teams: web maintainer)}, {@code admin (admin)}. */
    private static String describe(JsonNode me) {
        List<String> teams = new ArrayList<>();
        me.path("teams")
                .forEach(team -> teams.add(team.path("slug").asString("") + " "
                        + team.path("role").asString("").toLowerCase(Locale.ROOT)));
        String who = me.path("username").asString("?");
        if (me.path("admin").asBoolean(false)) {
            return who + " (admin)";
        }
        return teams.isEmpty() ? who + " (no team yet)" : who + " (teams: " + String.join(", ", teams) + ")";
    }
}
