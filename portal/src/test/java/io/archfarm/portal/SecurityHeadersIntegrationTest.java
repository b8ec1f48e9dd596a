package io.archfarm.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.testing.ArchfarmTestServices;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/** Every door of the portal sends the headers that keep its pages' URLs and the browser's features to itself. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(ArchfarmTestServices.class)
class SecurityHeadersIntegrationTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @LocalServerPort
    int port;

    @ParameterizedTest
    @ValueSource(strings = {"/login", "/", "/api/v1/users/me", "/hooks/nobody/nothing/github"})
    void everyDoorSendsReferrerAndPermissionsPolicies(String path) throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.headers().firstValue("Referrer-Policy")).as(path).hasValue("same-origin");
        assertThat(answer.headers().firstValue("Permissions-Policy")).as(path)
                .hasValueSatisfying(policy -> assertThat(policy).contains("camera=()", "geolocation=()"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).as(path).hasValue("nosniff");
    }

    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnly() throws Exception {
        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/login")).GET().build(), HttpResponse.BodyHandlers.ofString());

        assertThat(answer.headers().allValues("Set-Cookie")).as("the sign-in page starts a session for its CSRF token")
                .anySatisfy(cookie -> assertThat(cookie).startsWith("JSESSIONID=").contains("HttpOnly")
                        .containsIgnoringCase("SameSite=Lax"));
    }
}
