package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/** Every door of the portal sends the headers that keep its pages' URLs and the browser's features to itself. */
@PortalIntegrationTest
class SecurityHeadersIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/", "/api/v1/users/me", "/hooks/nobody/nothing/github"})
    void everyDoorSendsReferrerAndPermissionsPolicies(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
        assertThat(answer.headers().firstValue("Permissions-Policy"))
                .as(path)
                .hasValueSatisfying(policy -> assertThat(policy).contains("camera=()", "geolocation=()"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options"))
                .as(path)
                .hasValue("nosniff");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/", "/api/v1/users/me", "/hooks/nobody/nothing/github", "/css/archfarm.css"})
    void everyDoorSendsAContentSecurityPolicyWithoutInlineScript(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.headers().firstValue("Content-Security-Policy"))
                .as(path)
                .hasValueSatisfying(csp -> assertThat(csp)
                        .contains(
                                "default-src 'self'",
                                "script-src 'self'",
                                "style-src 'self'",
                                "frame-ancestors 'none'",
                                "object-src 'none'")
                        .doesNotContain("unsafe-inline", "unsafe-eval"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/", "/builds", "/builds/new", "/projects", "/workers"})
    void thePagesHaveNoInlineScriptStyleOrHandlerTheirPolicyWouldBlock(String path) {
        PortalApi browser = new PortalApi(port);
        if (!path.equals("/login")) {
            browser.signIn(PortalApi.ADMIN, PortalApi.ADMIN_PASSWORD);
        }

        String page = browser.get(path).body();

        assertThat(page)
                .as(path)
                .doesNotContainPattern("(?i)\\son[a-z]+\\s*=")
                .doesNotContainPattern("(?i)<script(?![^>]*\\ssrc=)[^>]*>")
                .doesNotContainPattern("(?i)<style")
                .doesNotContainPattern("(?i)\\sstyle\\s*=")
                .doesNotContainPattern("(?i)javascript:");
    }

    @Test
    void behindATlsProxyTheSessionCookieIsSecureAndHstsIsSent() throws Exception {
        HttpResponse<String> overTls = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .header("X-Forwarded-Proto", "https")
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> plain = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(overTls.headers().allValues("Set-Cookie"))
                .as("the proxy (on loopback, trusted) said https")
                .anySatisfy(cookie -> assertThat(cookie).startsWith("SESSION=").contains("Secure"));
        assertThat(overTls.headers().firstValue("Strict-Transport-Security")).isPresent();
        assertThat(plain.headers().allValues("Set-Cookie"))
                .as("plain http on loopback, as the launcher runs it")
                .allSatisfy(cookie -> assertThat(cookie).doesNotContain("Secure"));
        assertThat(plain.headers().firstValue("Strict-Transport-Security")).isEmpty();
    }

    /** SESSION is Spring Session's cookie: the session lives in PostgreSQL, shared by every portal. */
    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnly() throws Exception {
        HttpResponse<String> answer = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(answer.headers().allValues("Set-Cookie"))
                .as("the sign-in page starts a session for its CSRF token")
                .anySatisfy(cookie -> assertThat(cookie)
                        .startsWith("SESSION=")
                        .contains("HttpOnly")
                        .containsIgnoringCase("SameSite=Lax"));
    }
}
