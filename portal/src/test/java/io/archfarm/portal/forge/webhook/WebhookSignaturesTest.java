package io.archfarm.portal.forge.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.archfarm.portal.forge.Forge;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.http.HttpHeaders;

class WebhookSignaturesTest {

    private static final String SECRET = "s3cr3t-webhook-value-9f2c";
    private static final byte[] BODY = WebhookFixtures.body(Forge.GITHUB, "push-branch.json");

    /** GitHub's published example in "Validating webhook deliveries". */
    @Test
    void githubSignatureMatchesGitHubsPublishedTestVector() {
        byte[] payload = "Hello, World!".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignatures.githubSignature("It's a Secret to Everybody", payload))
                .isEqualTo("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");
    }

    @Test
    void githubsPublishedTestVectorVerifies() {
        byte[] payload = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17");

        assertThatCode(() -> WebhookSignatures.verify(Forge.GITHUB, headers, payload, "It's a Secret to Everybody"))
                .doesNotThrowAnyException();
    }

    /** RFC 4231, test case 2. */
    @Test
    void hexHmacSha256IsLowercaseHexOfTheRfc4231Value() {
        assertThat(WebhookSignatures.hexHmacSha256(
                        "Jefe", "what do ya want for nothing?".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aDeliveryAsTheForgeSignsItVerifies(Forge forge) {
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", "d-1", BODY, SECRET);

        assertThatCode(() -> WebhookSignatures.verify(forge, headers, BODY, SECRET))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aDeliveryMadeWithAnotherSecretIsRejected(Forge forge) {
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", "d-1", BODY, "another-secret");

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("does not match")
                .hasMessageNotContaining(SECRET)
                .hasMessageNotContaining("another-secret");
    }

    @ParameterizedTest
    @EnumSource(
            value = Forge.class,
            names = {"GITHUB", "GITEA", "FORGEJO"})
    void aChangedBodyIsRejected(Forge forge) {
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", "d-1", BODY, SECRET);
        byte[] changed = new String(BODY, StandardCharsets.UTF_8)
                .replace("\"main\"", "\"evil\"")
                .getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, changed, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("does not match");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void aDeliveryWithoutSignatureIsRejectedNamingTheExpectedHeader(Forge forge) {
        HttpHeaders headers = withoutProof(forge);
        String expected = switch (forge) {
            case GITHUB -> "no X-Hub-Signature-256 header";
            case GITLAB -> "no X-Gitlab-Token header";
            case GITEA -> "no X-Gitea-Signature header";
            case FORGEJO -> "no X-Forgejo-Signature or X-Gitea-Signature header";
        };

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining(expected);
    }

    @ParameterizedTest
    @EnumSource(
            value = Forge.class,
            names = {"GITEA", "FORGEJO"})
    void aSignatureThatIsNotHexIsRejected(Forge forge) {
        HttpHeaders headers = withoutProof(forge);
        String header = forge == Forge.GITEA ? "X-Gitea-Signature" : "X-Forgejo-Signature";
        headers.set(header, "z".repeat(64));

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessage(header + " is not an HMAC-SHA256 signature: expected 64 hex digits, got 64 characters");
    }

    @Test
    void aGitHubSignatureOfTheWrongLengthIsRejected() {
        HttpHeaders headers = withoutProof(Forge.GITHUB);
        headers.set(
                "X-Hub-Signature-256",
                WebhookSignatures.githubSignature(SECRET, BODY).substring(0, 47));

        assertThatThrownBy(() -> WebhookSignatures.verify(Forge.GITHUB, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessage("X-Hub-Signature-256 is not an HMAC-SHA256 signature: expected 64 hex digits,"
                        + " got 40 characters");
    }

    @Test
    void aGitHubSignatureWithoutItsAlgorithmPrefixIsRejected() {
        HttpHeaders headers = withoutProof(Forge.GITHUB);
        headers.set("X-Hub-Signature-256", WebhookSignatures.hexHmacSha256(SECRET, BODY));

        assertThatThrownBy(() -> WebhookSignatures.verify(Forge.GITHUB, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("X-Hub-Signature-256 does not start with 'sha256='");
    }

    @Test
    void theUppercaseHexOfTheRightSignatureIsTheSameSignature() {
        HttpHeaders headers = withoutProof(Forge.GITEA);
        headers.set(
                "X-Gitea-Signature",
                WebhookSignatures.hexHmacSha256(SECRET, BODY).toUpperCase());

        assertThatCode(() -> WebhookSignatures.verify(Forge.GITEA, headers, BODY, SECRET))
                .doesNotThrowAnyException();
    }

    @Test
    void forgejosOwnSignatureIsTheOneCheckedWhenPresent() {
        HttpHeaders headers = WebhookFixtures.headers(Forge.FORGEJO, "push", "d-1", BODY, SECRET);
        headers.set("X-Forgejo-Signature", WebhookSignatures.hexHmacSha256("another-secret", BODY));

        assertThatThrownBy(() -> WebhookSignatures.verify(Forge.FORGEJO, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("X-Forgejo-Signature does not match");
    }

    @Test
    void forgejoDeliveriesCarryingOnlyTheGiteaSignatureVerify() {
        HttpHeaders headers = WebhookFixtures.headers(Forge.FORGEJO, "push", "d-1", BODY, SECRET);
        headers.remove("X-Forgejo-Signature");

        assertThatCode(() -> WebhookSignatures.verify(Forge.FORGEJO, headers, BODY, SECRET))
                .doesNotThrowAnyException();
    }

    @Test
    void aGitLabTokenThatIsAPrefixOfTheSecretIsRejected() {
        HttpHeaders headers = withoutProof(Forge.GITLAB);
        headers.set("X-Gitlab-Token", SECRET.substring(0, SECRET.length() - 1));

        assertThatThrownBy(() -> WebhookSignatures.verify(Forge.GITLAB, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageStartingWith("X-Gitlab-Token does not match the project's webhook secret")
                .hasMessageNotContaining(SECRET.substring(0, SECRET.length() - 1));
    }

    @Test
    void aGitHubSignatureIsNotAcceptedAsAGiteaOne() {
        HttpHeaders headers = new HttpHeaders();
        headers.set("X-Hub-Signature-256", WebhookSignatures.githubSignature(SECRET, BODY));

        assertThatThrownBy(() -> WebhookSignatures.verify(Forge.GITEA, headers, BODY, SECRET))
                .isInstanceOf(WebhookRejectedException.class)
                .hasMessageContaining("no X-Gitea-Signature header");
    }

    @ParameterizedTest
    @EnumSource(Forge.class)
    void withoutASecretNothingCanBeVerified(Forge forge) {
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", "d-1", BODY, "x");

        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, BODY, ""))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WebhookSignatures.verify(forge, headers, BODY, null))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** The headers the forge sends, minus every header that could prove the delivery's origin. */
    private static HttpHeaders withoutProof(Forge forge) {
        HttpHeaders headers = WebhookFixtures.headers(forge, "push", "d-1", BODY, SECRET);
        for (String name :
                new String[] {"X-Hub-Signature-256", "X-Gitlab-Token", "X-Gitea-Signature", "X-Forgejo-Signature"}) {
            headers.remove(name);
        }
        return headers;
    }
}
