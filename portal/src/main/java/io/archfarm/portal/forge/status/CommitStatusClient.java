package io.archfarm.portal.forge.status;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Sends one commit status to GitHub, GitLab, Gitea or Forgejo, each in its documented dialect. One call, bounded by
 * the configured timeouts and never retried here: the background reporter decides about retries from
 * {@link CommitStatusException#retryable()}. Redirects are not followed, so the token only ever goes to the
 * configured API root.
 */
@Component
public class CommitStatusClient {

    /** How much of a forge's refusal goes into the exception message. */
    static final int ANSWER_EXCERPT = 200;

    private final CommitStatusProperties properties;
    private final RestClient http;

    public CommitStatusClient(CommitStatusProperties properties) {
        this.properties = properties;
        HttpClient jdk = HttpClient.newBuilder()
                .connectTimeout(properties.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(jdk);
        requests.setReadTimeout(properties.readTimeout());
        this.http = RestClient.builder()
                .requestFactory(requests)
                .defaultHeader(HttpHeaders.USER_AGENT, "archfarm")
                .build();
    }

    /**
     * Reports {@code status} on its commit in {@code target}'s repository.
     *
     * @throws CommitStatusException when the forge answers other than 2xx, or cannot be reached in time
     */
    public void report(CommitStatusTarget target, CommitStatus status) {
        StatusCall call = ForgeStatusApi.of(target.forge()).call(target, status);
        String what = "POST " + call.uri();
        try {
            http.post()
                    .uri(call.uri())
                    .headers(h -> call.headers().forEach(h::set))
                    .contentType(MediaType.APPLICATION_JSON)
                    .body(call.body())
                    .exchange(
                            (request, response) -> requireSuccess(what, response.getStatusCode(), response.getBody()));
        } catch (ResourceAccessException e) {
            throw new CommitStatusException(
                    what + " to " + target.forge().wireName() + " failed: " + unreachable(e.getMostSpecificCause()),
                    true,
                    e);
        }
    }

    /** The JDK reports a read timeout as a cancelled request; say what actually happened. */
    private String unreachable(Throwable cause) {
        if (cause instanceof HttpConnectTimeoutException) {
            return "no connection within " + properties.connectTimeout();
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + properties.readTimeout() + " (timed out)";
        }
        return cause.toString();
    }

    private static HttpStatusCode requireSuccess(String what, HttpStatusCode status, InputStream body)
            throws IOException {
        if (!status.is2xxSuccessful()) {
            throw refused(what, status, excerpt(body));
        }
        return status;
    }

    private static CommitStatusException refused(String what, HttpStatusCode status, String answer) {
        int code = status.value();
        boolean retryable = status.is5xxServerError() || code == 429 || code == 408;
        return new CommitStatusException(what + " answered " + code + ": " + excerpt(answer), retryable);
    }

    /** Reads no more of a refusal than its excerpt needs: a forge's error page can be large. */
    private static String excerpt(InputStream body) throws IOException {
        return new String(body.readNBytes(ANSWER_EXCERPT * 4), StandardCharsets.UTF_8);
    }

    private static String excerpt(String answer) {
        String text = answer.strip();
        if (text.codePointCount(0, text.length()) <= ANSWER_EXCERPT) {
            return text;
        }
        return text.substring(0, text.offsetByCodePoints(0, ANSWER_EXCERPT));
    }
}
