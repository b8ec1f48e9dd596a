package io.archfarm.e2e;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A GitHub repository webhook as GitHub calls it: a {@code push} event's JSON body, the {@code X-GitHub-*} headers
 * and the body's HMAC signatures with the webhook's secret (SHA-256 in {@code X-Hub-Signature-256}, and the legacy
 * SHA-1 in {@code X-Hub-Signature}), as GitHub's "Webhook events and payloads" and "Validating webhook deliveries"
 * pages describe them.
 */
final class GitHubWebhook {

    private static final String HOOK_ID = "512839076";
    private static final String REPOSITORY_ID = "718233451";

    private final String url;
    private final String secret;

    GitHubWebhook(String url, String secret) {
        this.url = url;
        this.secret = secret;
    }

    /** The body of a push of one new commit to {@code branch}, moving it from {@code before} to {@code after}. */
    static byte[] push(String branch, String before, String after, String message) {
        String now = OffsetDateTime.now(ZoneOffset.UTC)
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        Map<String, Object> author =
                Map.of("name", "Jane Smith", "email", "jane.smith@example.com", "username", "jsmith");
        Map<String, Object> commit = new LinkedHashMap<>();
        commit.put("id", after);
        commit.put("tree_id", "4b825dc642cb6eb9a060e54bf8d69288fbee4904");
        commit.put("distinct", true);
        commit.put("message", message);
        commit.put("timestamp", now);
        commit.put("url", "https://github.com/acme/hello-arch/commit/" + after);
        commit.put("author", author);
        commit.put("committer", author);
        commit.put("added", List.of());
        commit.put("removed", List.of());
        commit.put("modified", List.of("Containerfile"));

        Map<String, Object> owner = new LinkedHashMap<>();
        owner.put("name", "acme");
        owner.put("login", "acme");
        owner.put("id", 9158374);
        owner.put("type", "Organization");
        Map<String, Object> repository = new LinkedHashMap<>();
        repository.put("id", Long.parseLong(REPOSITORY_ID));
        repository.put("name", "hello-arch");
        repository.put("full_name", "acme/hello-arch");
        repository.put("private", false);
        repository.put("owner", owner);
        repository.put("html_url", "https://github.com/acme/hello-arch");
        repository.put("clone_url", "https://github.com/acme/hello-arch.git");
        repository.put("default_branch", "main");
        repository.put("master_branch", "main");

        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("ref", "refs/heads/" + branch);
        payload.put("before", before);
        payload.put("after", after);
        payload.put("repository", repository);
        payload.put("pusher", Map.of("name", "jsmith", "email", "jane.smith@example.com"));
        payload.put("sender", Map.of("login", "jsmith", "id", 2384711, "type", "User"));
        payload.put("created", false);
        payload.put("deleted", false);
        payload.put("forced", false);
        payload.put("base_ref", null);
        payload.put(
                "compare",
                "https://github.com/acme/hello-arch/compare/" + before.substring(0, 12) + "..."
                        + after.substring(0, 12));
        payload.put("commits", List.of(commit));
        payload.put("head_commit", commit);
        return Http.JSON.writeValueAsBytes(payload);
    }

    /** Delivers a push event signed with the webhook's secret. */
    PortalClient.Answer deliverPush(String deliveryId, byte[] body) {
        return deliverPushSignedWith(secret, deliveryId, body);
    }

    /** Delivers a push event signed with {@code signingSecret}, which may be another secret than the webhook's. */
    PortalClient.Answer deliverPushSignedWith(String signingSecret, String deliveryId, byte[] body) {
        return PortalClient.answer(Http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/json")
                .header("User-Agent", "GitHub-Hookshot/8c3a5d2")
                .header("X-GitHub-Event", "push")
                .header("X-GitHub-Delivery", deliveryId)
                .header("X-GitHub-Hook-ID", HOOK_ID)
                .header("X-GitHub-Hook-Installation-Target-Type", "repository")
                .header("X-GitHub-Hook-Installation-Target-ID", REPOSITORY_ID)
                .header("X-Hub-Signature", "sha1=" + hmac("HmacSHA1", signingSecret, body))
                .header("X-Hub-Signature-256", "sha256=" + hmac("HmacSHA256", signingSecret, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    }

    private static String hmac(String algorithm, String key, byte[] body) {
        try {
            Mac mac = Mac.getInstance(algorithm);
            mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), algorithm));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
