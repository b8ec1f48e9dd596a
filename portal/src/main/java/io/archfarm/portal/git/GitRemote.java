package io.archfarm.portal.git;

import io.archfarm.model.GitErrors;
import io.archfarm.model.metrics.ErrorKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Asks a remote repository for its refs with {@code git ls-remote}, as a child process that can never prompt and is
 * killed (with its children, such as ssh) when it takes longer than {@code archfarm.git.timeout}. A failure is
 * counted by kind ({@code archfarm_git_errors_total}: unreachable, refused, other), as the workers count theirs.
 */
@Component
public class GitRemote {

    private static final List<String> GENERIC_HINT =
            List.of("Please make sure you have the correct access rights", "and the repository exists.");

    private final GitProperties properties;
    private final Map<ErrorKind, Counter> errors = new EnumMap<>(ErrorKind.class);

    GitRemote(GitProperties properties, MeterRegistry registry) {
        this.properties = properties;
        for (ErrorKind kind : ErrorKind.values()) {
            errors.put(
                    kind,
                    Counter.builder("archfarm.git.errors")
                            .tag("kind", kind.tag())
                            .description("git ls-remote failures, by kind")
                            .register(registry));
        }
    }

    /** The refs of {@code url}, which must already have passed {@link RepositoryUrlPolicy}. */
    public RemoteRefs refsOf(String url) {
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("archfarm-ls-remote", ".out");
            err = Files.createTempFile("archfarm-ls-remote", ".err");
            Process git = start(url, out.toFile(), err.toFile());
            if (!git.waitFor(properties.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(git);
                counter(ErrorKind.UNREACHABLE).increment();
                throw new RepositoryUnreachableException("repository '" + url + "' did not answer git ls-remote within "
                        + properties.timeout() + " (archfarm.git.timeout)");
            }
            if (git.exitValue() != 0) {
                String said = Files.readString(err, StandardCharsets.UTF_8);
                counter(GitErrors.kind(said)).increment();
                throw new RepositoryUnreachableException(
                        "repository '" + url + "' cannot be reached: " + errorLines(said));
            }
            return RemoteRefs.parse(Files.readString(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("could not run git ls-remote for '" + url + "': " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing the refs of '" + url + "'", e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    private Process start(String url, File out, File err) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(
                "git",
                "-c",
                "protocol.ext.allow=never",
                "-c",
                "protocol.file.allow=" + (properties.allowFileUrls() ? "always" : "never"),
                // the URL's host was checked (RepositoryUrlPolicy); a redirect must not lead git somewhere unchecked
                "-c",
                "http.followRedirects=false",
                // after "--" the URL is never an option, whatever the policy let through
                "ls-remote",
                "--symref",
                "--",
                url);
        Map<String, String> env = builder.environment();
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", "/bin/false");
        env.put("SSH_ASKPASS", "/bin/false");
        env.put(
                "GIT_SSH_COMMAND",
                "ssh -o BatchMode=yes -o ConnectTimeout="
                        + Math.max(1, properties.timeout().toSeconds()));
        return builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out)
                .redirectError(err)
                .start();
    }

    /** git's own words, from its first fatal/error line on, without the generic "make sure" hint. */
    static String errorLines(String stderr) {
        List<String> lines = Arrays.stream(stderr.split("\n"))
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !GENERIC_HINT.contains(l))
                .toList();
        int first = 0;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("fatal:") || lines.get(i).startsWith("error:")) {
                first = i;
                break;
            }
        }
        String text = lines.isEmpty()
                ? "git ls-remote failed without a message"
                : lines.subList(first, lines.size()).stream().collect(Collectors.joining(" "));
        return text.length() > 600 ? text.substring(text.length() - 600) : text;
    }

    private static void kill(Process git) throws InterruptedException {
        git.descendants().forEach(ProcessHandle::destroyForcibly);
        git.destroyForcibly();
        git.waitFor(5, TimeUnit.SECONDS);
    }

    /** Every kind has its counter from the constructor on. */
    private Counter counter(ErrorKind kind) {
        return Objects.requireNonNull(errors.get(kind));
    }

    private static void delete(@Nullable Path path) {
        if (path != null) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException ignored) {
                // a temp file left behind is harmless
            }
        }
    }
}
