package io.archfarm.scheduler.manifests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.archfarm.model.ImageReference;
import io.archfarm.model.Platform;
import io.archfarm.model.registry.RegistryCredential;
import io.archfarm.scheduler.RegistryProperties;
import io.archfarm.scheduler.manifests.RegistryClient.IndexEntryFacts;
import io.archfarm.scheduler.manifests.TokenRegistry.Received;
import io.archfarm.scheduler.registry.RegistryCredentials.Owned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's side of the registry token protocol and of HTTP Basic, against {@link TokenRegistry}: a real HTTP
 * peer that issues tokens and checks them, since the distribution registry on this machine has no token server.
 */
class RegistryClientTest {

    private static final byte[] MANIFEST = ("{\"schemaVersion\":2,\"mediaType\":\"" + TokenRegistry.OCI_MANIFEST
                    + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"sha256:"
                    + "1".repeat(64) + "\",\"size\":2},\"layers\":[]}")
            .getBytes(StandardCharsets.UTF_8);
    private static final String DIGEST = TokenRegistry.sha256(MANIFEST);

    private TokenRegistry registry;
    private ImageReference image;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = TokenRegistry.start().serving(MANIFEST);
        image = ImageReference.parse(registry.address() + "/team/app");
    }

    @AfterEach
    void stopRegistry() {
        registry.close();
    }

    @Test
    void withoutACredentialTheClientFetchesAnAnonymousTokenAndReadsTheManifest() throws Exception {
        IndexEntryFacts facts =
                client(registry.address()).session(image, Optional.empty()).manifest(DIGEST);

        assertThat(facts).isEqualTo(new IndexEntryFacts(MANIFEST.length, TokenRegistry.OCI_MANIFEST));
        assertThat(registry.tokenRequests()).singleElement().satisfies(request -> {
            assertThat(request.authorization()).isNull();
            assertThat(request.query())
                    .containsEntry("service", "test-registry")
                    .containsEntry("scope", "repository:team/app:pull");
        });
        assertThat(registry.registryRequests())
                .extracting(Received::authorization)
                .containsExactly(null, "Bearer " + registry.issuedTokens().getFirst());
    }

    @Test
    void aManifestWhoseBytesDoNotHashToTheDigestIsRefused() {
        String otherDigest = TokenRegistry.sha256("other".getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> client(registry.address())
                        .session(image, Optional.empty())
                        .manifest(otherDigest))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining(image + "@" + otherDigest)
                .hasMessageContaining("hash to " + DIGEST);
    }

    @Test
    void withACredentialTheTokenRequestCarriesItsBasicAndThePullScope() throws Exception {
        client(registry.address())
                .session(image, Optional.of(owned("alice", "alice-secret")))
                .manifest(DIGEST);

        assertThat(registry.tokenRequests()).singleElement().satisfies(request -> {
            assertThat(request.authorization()).isEqualTo("Basic " + basic("alice", "alice-secret"));
            assertThat(request.query())
                    .containsEntry("service", "test-registry")
                    .containsEntry("scope", "repository:team/app:pull");
        });
    }

    @Test
    void puttingAnIndexAsksForAPullAndPushToken() throws Exception {
        ImageIndex index = ImageIndex.assemble(
                List.of(new IndexEntry(Platform.LINUX_AMD64, DIGEST, MANIFEST.length, TokenRegistry.OCI_MANIFEST)),
                "0123abc",
                "https://git.example/app.git");

        client(registry.address())
                .session(image, Optional.of(owned("alice", "alice-secret")))
                .putIndex("1.0", index);

        assertThat(registry.tokenRequests()).singleElement().satisfies(request -> {
            assertThat(request.authorization()).isEqualTo("Basic " + basic("alice", "alice-secret"));
            assertThat(request.query())
                    .containsEntry("service", "test-registry")
                    .containsEntry("scope", "repository:team/app:pull,push");
        });
        assertThat(registry.registryRequests())
                .extracting(Received::method, Received::path)
                .containsOnly(tuple("PUT", "/v2/team/app/manifests/1.0"));
    }

    @Test
    void aSessionKeepsItsTokenForTheNextRequestOfTheSameScope() throws Exception {
        RegistryClient.Session session = client(registry.address()).session(image, Optional.empty());

        session.manifest(DIGEST);
        session.manifest(DIGEST);

        assertThat(registry.tokenRequests()).hasSize(1);
        assertThat(registry.registryRequests()).hasSize(3);
        assertThat(registry.registryRequests().get(2).authorization())
                .isEqualTo(registry.registryRequests().get(1).authorization());
    }

    @Test
    void aRefusedTokenRequestNamesTheRegistryOwnerAndUserButNeverTheSecret() {
        registry.answeringTokenRequestsWith(401);

        assertThatThrownBy(() -> client(registry.address())
                        .session(image, Optional.of(owned("robot$ci", "the-robot-secret")))
                        .manifest(DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("registry " + registry.address())
                .hasMessageContaining("project acme/app")
                .hasMessageContaining("user robot$ci")
                .hasMessageNotContaining("the-robot-secret")
                .hasMessageNotContaining(basic("robot$ci", "the-robot-secret"));
    }

    @Test
    void aRealmOverHttpToAHostNotListedInsecureIsRefusedBeforeAnyRequestReachesIt() throws Exception {
        try (TokenRegistry elsewhere = TokenRegistry.start()) {
            registry.challenging("Bearer realm=\"http://" + elsewhere.address() + "/token\",service=\"test-registry\"");

            assertThatThrownBy(() -> client(registry.address())
                            .session(image, Optional.of(owned("alice", "alice-secret")))
                            .manifest(DIGEST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("http://" + elsewhere.address() + "/token")
                    .hasMessageContaining("neither https nor an http registry listed in archfarm.registry.insecure");
            assertThat(elsewhere.tokenRequests()).isEmpty();
            assertThat(elsewhere.registryRequests()).isEmpty();
        }
    }

    @Test
    void theTokenRealmMayBeAnotherHostListedInsecure() throws Exception {
        try (TokenRegistry tokenServer = TokenRegistry.start()) {
            registry.challenging("Bearer realm=\"http://" + tokenServer.address() + "/token\"");

            assertThatThrownBy(() -> client(registry.address(), tokenServer.address())
                            .session(image, Optional.empty())
                            .manifest(DIGEST))
                    .isInstanceOf(RegistryException.class)
                    .hasMessageContaining("refused anonymous access to GET " + image);
            assertThat(tokenServer.tokenRequests())
                    .singleElement()
                    .satisfies(request -> assertThat(request.query()).doesNotContainKey("service"));
        }
    }

    @Test
    void aTokenOfOneSessionIsNeverSentByAnother() throws Exception {
        RegistryClient client = client(registry.address());
        client.session(image, Optional.of(owned("alice", "alice-secret"))).manifest(DIGEST);
        String alicesToken = "Bearer " + registry.issuedTokens().getFirst();

        client.session(image, Optional.of(owned("bob", "bob-secret"))).manifest(DIGEST);

        List<Received> bobs = registry.registryRequests().subList(2, 4);
        assertThat(bobs)
                .extracting(Received::authorization)
                .doesNotContain(alicesToken)
                .first()
                .isNull();
        assertThat(bobs.get(1).authorization())
                .isEqualTo("Bearer " + registry.issuedTokens().get(1));
        assertThat(registry.tokenRequests())
                .extracting(Received::authorization)
                .containsExactly("Basic " + basic("alice", "alice-secret"), "Basic " + basic("bob", "bob-secret"));
    }

    @Test
    void anAccessTokenInsteadOfATokenIsUsed() throws Exception {
        registry.namingTheToken("access_token");

        IndexEntryFacts facts =
                client(registry.address()).session(image, Optional.empty()).manifest(DIGEST);

        assertThat(facts.size()).isEqualTo(MANIFEST.length);
        assertThat(registry.registryRequests().get(1).authorization())
                .isEqualTo("Bearer " + registry.issuedTokens().getFirst());
    }

    @Test
    void aTokenAnswerWithoutATokenFailsNamingTheTokenService() {
        registry.namingTheToken("something_else");

        assertThatThrownBy(() -> client(registry.address())
                        .session(image, Optional.empty())
                        .manifest(DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("the token service 127.0.0.1 of registry " + registry.address())
                .hasMessageContaining("answered no token");
    }

    @Test
    void aBasicChallengeIsAnsweredWithTheCredential() throws Exception {
        registry.basicOnly(basic("alice", "alice-secret"));

        IndexEntryFacts facts = client(registry.address())
                .session(image, Optional.of(owned("alice", "alice-secret")))
                .manifest(DIGEST);

        assertThat(facts.size()).isEqualTo(MANIFEST.length);
        assertThat(registry.registryRequests())
                .extracting(Received::authorization)
                .containsExactly(null, "Basic " + basic("alice", "alice-secret"));
        assertThat(registry.tokenRequests()).isEmpty();
    }

    @Test
    void aBasicChallengeWithoutACredentialSaysTheRegistryRequiresALogin() {
        registry.basicOnly(basic("alice", "alice-secret"));

        assertThatThrownBy(() -> client(registry.address())
                        .session(image, Optional.empty())
                        .manifest(DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("registry " + registry.address() + " requires a login for " + image);
        assertThat(registry.registryRequests()).hasSize(1);
    }

    @Test
    void aWrongPasswordForBasicIsRefusedNamingTheUserButNotThePassword() {
        registry.basicOnly(basic("alice", "alice-secret"));

        assertThatThrownBy(() -> client(registry.address())
                        .session(image, Optional.of(owned("alice", "wrong-secret")))
                        .manifest(DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("refused the credential of project acme/app (user alice) GET " + image)
                .hasMessageNotContaining("wrong-secret");
    }

    @Test
    void aChallengeTheClientCannotAnswerIsReportedWithTheHeader() {
        registry.challenging("Negotiate");

        assertThatThrownBy(() -> client(registry.address())
                        .session(image, Optional.empty())
                        .manifest(DIGEST))
                .isInstanceOf(RegistryException.class)
                .hasMessageContaining("no challenge the farm can answer")
                .hasMessageContaining("WWW-Authenticate: Negotiate");
    }

    private static RegistryClient client(String... insecure) {
        return new RegistryClient(
                new RegistryProperties(List.of(insecure), Duration.ofSeconds(10), null, null),
                JsonMapper.builder().build());
    }

    private Owned owned(String user, String secret) {
        return new Owned(new RegistryCredential(image.registry(), user, secret), "project acme/app", true);
    }

    private static String basic(String user, String secret) {
        return new RegistryCredential("any", user, secret).basic();
    }
}
