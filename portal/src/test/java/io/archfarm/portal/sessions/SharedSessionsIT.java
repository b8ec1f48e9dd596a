package io.archfarm.portal.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalIntegrationTest;
import io.archfarm.portal.sessions.Browser.Page;
import io.archfarm.portal.sessions.PortalInstances.Portal;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Web sessions live in PostgreSQL, so every portal on the database serves every session: one signed in on portal A
 * works on portal B (no sticky sessions), survives a restart of the portal that made it, and its CSRF token is
 * good on any of them. The test context is portal A; the others are started and stopped by the test.
 */
@PortalIntegrationTest
class SharedSessionsIT {

    @LocalServerPort
    int portalA;

    @Autowired
    DataSource database;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    @Qualifier("springSessionTransactionOperations")
    TransactionOperations sessionTransactions;

    PortalInstances portals;

    @BeforeEach
    void portals() {
        portals = new PortalInstances(database, "archfarm.portal.scheduling=false");
    }

    @AfterEach
    void stopPortals() {
        portals.close();
    }

    @Test
    void aSessionSignedInOnOnePortalIsSignedInOnTheOther() {
        Portal portalB = portals.start();
        Browser browser = new Browser().signIn(portalA, PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);

        Page onB = browser.get(portalB.port(), "/workers");

        assertThat(onB.signedIn()).as("the session made on A, on B: %s", onB).isTrue();
        assertThat(onB.body()).contains("admin (admin)");
        assertThat(new Browser().get(portalB.port(), "/workers").sentToSignIn())
                .as("a browser without the session is sent to sign in")
                .isTrue();
    }

    @Test
    void aPortalRestartSignsNobodyOutAndTheirCsrfTokensStillWork() {
        Portal before = portals.start();
        String worker = "w-restart-" + System.nanoTime();
        insertWorker(worker);
        Browser browser = new Browser().signIn(before.port(), PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        String csrf = browser.get(before.port(), "/workers").csrf();
        String cookie = browser.sessionCookie();

        before.stop();
        Portal after = portals.start();

        assertThat(browser.sessionCookie()).isEqualTo(cookie);
        assertThat(browser.get(after.port(), "/workers").signedIn())
                .as("signed in after the restart")
                .isTrue();
        Page forged = browser.postForm(after.port(), "/workers/" + worker + "/drain", Map.of("_csrf", "forged"));
        assertThat(forged.status())
                .as("a wrong CSRF token is still refused: %s", forged)
                .isEqualTo(403);
        assertThat(drainOrders(worker)).isZero();
        Page drained = browser.postForm(after.port(), "/workers/" + worker + "/drain", Map.of("_csrf", csrf));
        assertThat(drained.status())
                .as("the form posted with the token of the page before the restart: %s", drained)
                .isEqualTo(302);
        assertThat(drained.location()).endsWith("/workers");
        assertThat(drainOrders(worker)).as("the drain order was written").isOne();
        assertThat(browser.get(portalA, "/workers").body())
                .as("the notice after the redirect (a flash attribute, kept in the session) shows on another portal")
                .contains("Drain requested for " + worker);
    }

    @Test
    void signingOutOnOnePortalSignsOutOnEvery() {
        Portal portalB = portals.start();
        Browser browser = new Browser().signIn(portalA, PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        String cookie = browser.sessionCookie();
        String csrf = browser.get(portalA, "/workers").csrf();

        Page signedOut = browser.postForm(portalB.port(), "/logout", Map.of("_csrf", csrf));

        assertThat(signedOut.status()).isEqualTo(302);
        assertThat(signedOut.location()).endsWith("/login?logout");
        Browser stolen = new Browser();
        stolen.setSessionCookie(cookie);
        assertThat(stolen.get(portalA, "/workers").sentToSignIn())
                .as("the old session cookie signs in nowhere once its session is gone")
                .isTrue();
        assertThat(jdbc.sql("select count(*) from spring_session where principal_name = 'admin'"
                                + " and session_id = :id")
                        .param("id", sessionId(cookie))
                        .query(Integer.class)
                        .single())
                .isZero();
    }

    @Test
    void theSessionTableHoldsTheSignedInPersonWithoutTheirPasswordHash() {
        Browser browser = new Browser().signIn(portalA, PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        String id = sessionId(browser.sessionCookie());

        List<byte[]> attributes =
                jdbc.sql("""
                        select a.attribute_bytes from spring_session_attributes a
                        join spring_session s on s.primary_id = a.session_primary_id
                        where s.session_id = :id""").param("id", id).query((rs, n) -> rs.getBytes(1)).list();

        assertThat(attributes)
                .as("the security context")
                .anyMatch(bytes -> new String(bytes, StandardCharsets.ISO_8859_1).contains("SecurityContextImpl"));
        assertThat(jdbc.sql("select principal_name from spring_session where session_id = :id")
                        .param("id", id)
                        .query(String.class)
                        .single())
                .isEqualTo("admin");
        assertThat(attributes).noneMatch(bytes -> new String(bytes, StandardCharsets.ISO_8859_1).contains("$argon2"));
        assertThat(jdbc.sql("select password_hash from users where username = 'admin'")
                        .query(String.class)
                        .single())
                .as("what must not be in the session")
                .contains("$argon2");
    }

    @Test
    void aSessionThisPortalCannotReadSignsInAgainInsteadOfFailing() {
        // what a portal of another version finds when a class kept in the session changed incompatibly
        Browser browser = new Browser().signIn(portalA, PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        jdbc.sql("""
                        update spring_session_attributes set attribute_bytes = decode('aced00057372000f6e6f2e7375636826'
                            || '2e636c617373', 'hex')
                        where session_primary_id = (select primary_id from spring_session where session_id = :id)""").param("id", sessionId(browser.sessionCookie())).update();

        Page page = browser.get(portalA, "/workers");

        assertThat(page.sentToSignIn()).as("sent to sign in again: %s", page).isTrue();
        assertThat(browser.signIn(portalA, PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD)
                        .get(portalA, "/workers")
                        .signedIn())
                .isTrue();
    }

    @Test
    void sessionWritesAloneDoNotWaitForTheDisk() {
        String inSessionTransactions = sessionTransactions.execute(status ->
                jdbc.sql("show synchronous_commit").query(String.class).single());

        assertThat(inSessionTransactions).isEqualTo("off");
        assertThat(jdbc.sql("show synchronous_commit").query(String.class).single())
                .as("everything else")
                .isEqualTo("on");
    }

    /** The session id in the database: Spring Session's cookie carries it base64-encoded. */
    static String sessionId(String cookie) {
        return new String(Base64.getDecoder().decode(cookie), StandardCharsets.UTF_8);
    }

    private void insertWorker(String id) {
        jdbc.sql("""
                        insert into workers (id, host, native_platforms, emulated_platforms, slots, busy, status,
                                             first_seen, last_seen)
                        values (:id, 'host-a', '["linux/amd64"]', '[]', 2, 0, 'ONLINE', now(), now())""").param("id", id).update();
    }

    private int drainOrders(String worker) {
        return jdbc.sql("select count(*) from outbox where payload::text like :worker")
                .param("worker", "%\"" + worker + "\"%")
                .query(Integer.class)
                .single();
    }
}
