package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi.Answer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/** Personal API tokens, and what the API answers without one, with a bad one and with a password. */
@PortalIntegrationTest
class TokenIT {

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aTokenIsShownOnceAndOnlyItsHashIsStored() throws Exception {
        PortalApi basic =
                new PortalApi(port).withAuthorization(PortalApi.basic(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD));
        Answer created = basic.post("/api/v1/tokens", "{\"name\": \"ci\", \"expiresAt\": \"2099-01-01T00:00:00Z\"}");

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String token = created.json().path("token").asString();
        assertThat(token).startsWith("afp_").hasSize(4 + 43);
        assertThat(created.json().path("expiresAt").asString()).isEqualTo("2099-01-01T00:00:00Z");

        PortalApi api = new PortalApi(port).withToken(token);
        assertThat(api.get("/api/v1/users/me").json().path("username").asString())
                .isEqualTo("admin");
        JsonNode listed = api.get("/api/v1/tokens").json();
        JsonNode mine = findByName(listed, "ci");
        assertThat(mine.has("token")).as("a listed token has no secret").isFalse();
        assertThat(mine.path("state").asString()).isEqualTo("active");
        assertThat(mine.path("lastUsedAt").isNull()).as("its use is recorded").isFalse();
        assertThat(listed.toString()).doesNotContain(token);

        Map<String, Object> row = jdbc.sql("select * from api_tokens where id = :id")
                .param("id", UUID.fromString(created.json().path("id").asString()))
                .query()
                .singleRow();
        String sha256 = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        assertThat(row.get("token_hash")).isEqualTo(sha256);
        assertThat(row.values()).noneMatch(value -> String.valueOf(value).contains(token.substring(4)));
    }

    @Test
    void aRevokedOrExpiredTokenIsRefused() {
        PortalApi admin = new PortalApi(port).asAdmin();
        Answer created = admin.post("/api/v1/tokens", "{\"name\": \"short-lived\"}");
        String id = created.json().path("id").asString();
        PortalApi holder =
                new PortalApi(port).withToken(created.json().path("token").asString());
        assertThat(holder.get("/api/v1/builds").status()).isEqualTo(200);

        jdbc.sql("update api_tokens set expires_at = now() - interval '1 second' where id = :id")
                .param("id", UUID.fromString(id))
                .update();
        Answer expired = holder.get("/api/v1/builds");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.problemDetail()).contains("token 'short-lived' expired at");

        Answer other = admin.post("/api/v1/tokens", "{\"name\": \"to-revoke\"}");
        PortalApi revokedHolder =
                new PortalApi(port).withToken(other.json().path("token").asString());
        Answer revoke = admin.delete("/api/v1/tokens/" + other.json().path("id").asString());
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(revoke.json().path("state").asString()).isEqualTo("revoked");
        Answer refused = revokedHolder.get("/api/v1/builds");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.problemDetail()).contains("token 'to-revoke' was revoked");
    }

    @Test
    void withoutAGoodTokenTheApiAnswers401ProblemsThatSayWhatToDo() {
        PortalApi anonymous = new PortalApi(port);
        Answer missing = anonymous.get("/api/v1/builds");
        assertThat(missing.status()).isEqualTo(401);
        assertThat(missing.problemDetail())
                .contains("Authorization: Bearer <token>")
                .contains("POST /api/v1/tokens");

        Answer wrong = anonymous.withToken("afp_not-a-real-token").get("/api/v1/workers");
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(wrong.problemDetail()).isEqualTo("the bearer token is not valid");

        Answer passwordElsewhere = anonymous
                .withAuthorization(PortalApi.basic(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD))
                .get("/api/v1/builds");
        assertThat(passwordElsewhere.status()).isEqualTo(401);
        assertThat(passwordElsewhere.problemDetail()).contains("HTTP Basic is accepted only by POST /api/v1/tokens");

        Answer wrongPassword = anonymous
                .withAuthorization(PortalApi.basic(PortalApi.ADMIN, "not-the-password"))
                .post("/api/v1/tokens", "{\"name\": \"x\"}");
        assertThat(wrongPassword.status()).isEqualTo(401);

        Answer past = anonymous
                .asAdmin()
                .post("/api/v1/tokens", "{\"name\": \"old\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(400);
        assertThat(past.problemDetail()).contains("is not in the future");
    }

    @Test
    void peopleSeeAndRevokeOnlyTheirOwnTokensAndPasswordsAreArgon2Hashes() {
        FarmAccounts farm = new FarmAccounts(port);
        PortalApi alice = farm.person("alice");
        Answer adminToken = farm.admin().post("/api/v1/tokens", "{\"name\": \"admin-only\"}");

        assertThat(alice.get("/api/v1/tokens").json())
                .extracting(t -> t.path("name").asString())
                .containsExactly("test");
        assertThat(alice.delete("/api/v1/tokens/" + adminToken.json().path("id").asString())
                        .status())
                .isEqualTo(404);

        List<String> hashes =
                jdbc.sql("select password_hash from users").query(String.class).list();
        assertThat(hashes).isNotEmpty().allSatisfy(hash -> assertThat(hash).startsWith("{argon2}$argon2id$"));
        assertThat(jdbc.sql("select admin from users where username = 'admin'")
                        .query(Boolean.class)
                        .single())
                .isTrue();
    }

    @Test
    void peopleChangeTheirOwnPasswordWithTheCurrentOneAndAdminsResetAnyone() {
        FarmAccounts farm = new FarmAccounts(port);
        PortalApi bob = farm.person("bob");
        String username = bob.get("/api/v1/users/me").json().path("username").asString();

        Answer wrongCurrent = bob.put(
                "/api/v1/users/me/password",
                "{\"currentPassword\": \"not-it-at-all\", \"newPassword\": \"a-new-long-passphrase\"}");
        assertThat(wrongCurrent.status()).isEqualTo(400);
        assertThat(wrongCurrent.problemDetail()).contains("currentPassword is not");
        assertThat(bob.put(
                                "/api/v1/users/me/password",
                                "{\"currentPassword\": \"" + FarmAccounts.PASSWORD
                                        + "\", \"newPassword\": \"a-new-long-passphrase\"}")
                        .status())
                .isEqualTo(204);
        assertThat(new PortalApi(port)
                        .as(username, "a-new-long-passphrase")
                        .get("/api/v1/users/me")
                        .status())
                .isEqualTo(200);

        assertThat(bob.put("/api/v1/users/admin/password", "{\"newPassword\": \"taken-over-admin\"}")
                        .status())
                .isEqualTo(403);
        assertThat(farm.admin()
                        .put("/api/v1/users/" + username + "/password", "{\"newPassword\": \"reset-by-the-admin\"}")
                        .status())
                .isEqualTo(204);
        assertThat(new PortalApi(port)
                        .withAuthorization(PortalApi.basic(username, "a-new-long-passphrase"))
                        .post("/api/v1/tokens", "{\"name\": \"x\"}")
                        .status())
                .isEqualTo(401);
        new PortalApi(port).as(username, "reset-by-the-admin");
    }

    private static JsonNode findByName(JsonNode tokens, String name) {
        for (JsonNode token : tokens) {
            if (token.path("name").asString().equals(name)) {
                return token;
            }
        }
        throw new AssertionError("no token named " + name + " in " + tokens);
    }
}
