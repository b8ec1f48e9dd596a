package io.archfarm.afctl.cli;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The farm afctl talks to and the token it shows: {@code AFCTL_URL} and {@code AFCTL_TOKEN} win over the config file.
 * The file's token goes only to the file's URL: with {@code AFCTL_URL} naming another farm, {@code AFCTL_TOKEN} must
 * be set too, or the token of one farm would be sent to another.
 *
 * @param source where the URL came from, for messages ({@code AFCTL_URL} or the file's path)
 */
public record FarmTarget(URI url, String token, String source) {

    static final String URL_VARIABLE = "AFCTL_URL";
    static final String TOKEN_VARIABLE = "AFCTL_TOKEN";

    static FarmTarget resolve(Map<String, String> env, Path configFile, Consumer<String> warn) {
        Optional<ConfigFile.Contents> file = ConfigFile.read(configFile, warn);
        String envUrl = blankToNull(env.get(URL_VARIABLE));
        String envToken = blankToNull(env.get(TOKEN_VARIABLE));
        String fileUrl = file.map(ConfigFile.Contents::url).orElse(null);
        if (envUrl == null && fileUrl == null) {
            throw new AfctlException(
                    "no farm to talk to: run 'afctl login URL', or set " + URL_VARIABLE + " and " + TOKEN_VARIABLE,
                    ExitCodes.UNREACHABLE);
        }
        String source = envUrl != null ? URL_VARIABLE : configFile.toString();
        URI url = parseUrl(envUrl != null ? envUrl : fileUrl, source);
        String token = envToken;
        if (token == null && file.isPresent() && url.equals(parseUrl(fileUrl, configFile.toString()))) {
            token = blankToNull(file.get().token());
        }
        if (token == null) {
            throw new AfctlException(
                    "no API token for " + url + ": run 'afctl login " + url + "', or set " + TOKEN_VARIABLE,
                    ExitCodes.UNREACHABLE);
        }
        return new FarmTarget(url, token, source);
    }

    /** A farm's URL as a user writes it: http or https, a host, maybe a port and a path; no query, no user. */
    public static URI parseUrl(@Nullable String text, String source) {
        if (text == null) {
            throw new AfctlException("no farm URL in " + source, ExitCodes.UNREACHABLE);
        }
        String trimmed = text.strip();
        try {
            URI url = new URI(trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed);
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                throw new IllegalArgumentException("expected http://host[:port] or https://host[:port]");
            }
            if (url.getRawUserInfo() != null || url.getRawQuery() != null || url.getRawFragment() != null) {
                throw new IllegalArgumentException("a farm URL has no user, query or fragment");
            }
            return url;
        } catch (URISyntaxException | IllegalArgumentException e) {
            String why = e instanceof URISyntaxException syntax ? syntax.getReason() : e.getMessage();
            throw new AfctlException("'" + trimmed + "' (" + source + ") is not a farm URL: " + why, ExitCodes.USAGE);
        }
    }

    private static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
