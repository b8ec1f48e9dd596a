package io.archfarm.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.portal.PortalApi;
import io.archfarm.portal.PortalApi.Answer;
import io.archfarm.portal.PortalIntegrationTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * The OpenAPI document against the routes Spring MVC really serves: every handler under {@code /api} and
 * {@code /hooks} (enumerated from the {@link RequestMappingHandlerMapping}, not from a list kept by hand) is in it with
 * each of its methods, and what each answers has a schema; the document and Swagger UI need no sign-in and open
 * nothing else.
 */
@PortalIntegrationTest
class OpenApiDocumentIT {

    @LocalServerPort
    int port;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    JsonNode document;

    @BeforeEach
    void readTheDocumentWithoutSigningIn() throws IOException {
        Answer answer = new PortalApi(port).get("/v3/api-docs");
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        document = answer.json();
        Files.writeString(Path.of("target", "openapi.json"), answer.body()); // to read, or to feed a client generator
    }

    @Test
    void everyApiAndWebhookRouteIsInTheDocumentWithEachOfItsMethods() {
        List<String> missing = new ArrayList<>();
        List<Route> routes = routes();
        routes.forEach(route -> {
            if (document.path("paths").path(route.path()).path(route.method()).isMissingNode()) {
                missing.add(
                        route.method().toUpperCase(Locale.ROOT) + " " + route.path() + " (" + route.handler() + ")");
            }
        });

        List<String> unnamed = routes.stream()
                .filter(route -> {
                    JsonNode operation =
                            document.path("paths").path(route.path()).path(route.method());
                    return !operation.isMissingNode()
                            && (operation.path("summary").asString("").isBlank()
                                    || operation.path("tags").toString().contains("-controller"));
                })
                .map(Route::toString)
                .toList();

        assertThat(routes).as("the routes found").hasSizeGreaterThan(40);
        assertThat(unnamed)
                .as("operations without a summary or a tag of their own (@Operation, @Tag)")
                .isEmpty();
        assertThat(missing).as("routes the document does not describe").isEmpty();
        Set<String> documented = new TreeSet<>();
        document.path("paths").properties().forEach(path -> documented.add(path.getKey()));
        assertThat(documented)
                .as("only the API and the webhooks, not the pages")
                .allSatisfy(path -> assertThat(path).matches("/(api/v1|hooks)/.*"));
    }

    @Test
    void whatEachRouteAnswersHasASchema() {
        Set<String> schemas = new TreeSet<>();
        document.path("components").path("schemas").properties().forEach(schema -> schemas.add(schema.getKey()));
        List<String> wrong = new ArrayList<>();
        for (Route route : routes()) {
            ResolvableType body = bodyOf(route.returnType());
            JsonNode responses = document.path("paths")
                    .path(route.path())
                    .path(route.method())
                    .path("responses");
            JsonNode success = successOf(responses);
            if (body == null) {
                continue; // no body: 204 or an empty 202
            }
            if (success == null || !success.has("content")) {
                wrong.add(route + ": no success answer with content");
                continue;
            }
            success.path("content").properties().forEach(media -> {
                if (!media.getValue().has("schema")) {
                    wrong.add(route + ": " + media.getKey() + " has no schema");
                }
            });
            Class<?> type = elementOf(body).toClass();
            if (type.getName().startsWith("io.archfarm.") && !schemas.contains(type.getSimpleName())) {
                wrong.add(route + ": answers " + type.getSimpleName() + ", which has no schema");
            }
        }
        List<String> dangling = new ArrayList<>();
        references(document, dangling, schemas);

        assertThat(wrong).isEmpty();
        assertThat(dangling).as("references to schemas that are not there").isEmpty();
    }

    @Test
    void everyApiCallTakesABearerTokenAndAnswersErrorsAsProblems() {
        JsonNode bearer = document.path("components").path("securitySchemes").path("bearer");
        assertThat(bearer.path("type").asString()).isEqualTo("http");
        assertThat(bearer.path("scheme").asString()).isEqualTo("bearer");
        for (Route route : routes()) {
            JsonNode operation = document.path("paths").path(route.path()).path(route.method());
            if (route.path().startsWith("/hooks/")) {
                assertThat(operation.path("security"))
                        .as(route + ": forges sign, they hold no token")
                        .isEmpty();
                assertThat(operation
                                .path("responses")
                                .path("401")
                                .path("content")
                                .has("application/problem+json"))
                        .as(route.toString())
                        .isTrue();
                continue;
            }
            assertThat(operation.path("security").toString())
                    .as(route.toString())
                    .contains("\"bearer\"");
            for (String status : List.of("400", "401", "403", "404")) {
                assertThat(operation
                                .path("responses")
                                .path(status)
                                .path("content")
                                .path("application/problem+json")
                                .path("schema")
                                .path("$ref")
                                .asString())
                        .as(route + " " + status)
                        .isEqualTo("#/components/schemas/Problem");
            }
        }
        assertThat(document.path("paths")
                        .path("/api/v1/tokens")
                        .path("post")
                        .path("security")
                        .toString())
                .as("HTTP Basic only where it is taken")
                .contains("\"basic\"");
    }

    @Test
    void theBuildRequestsComeWithExamples() {
        JsonNode adHoc = document.path("paths")
                .path("/api/v1/builds")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json");
        JsonNode project = document.path("paths")
                .path("/api/v1/projects/{team}/{project}/builds")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json");

        assertThat(adHoc.path("schema").path("$ref").asString()).endsWith("/BuildRequestBody");
        assertThat(adHoc.path("examples").toString()).contains("linux/arm64").contains("repository");
        assertThat(project.path("examples").toString()).contains("\"ref\"");
    }

    @Test
    void theDocsAreOpenToAllAndOpenNothingElse() {
        PortalApi anonymous = new PortalApi(port);

        Answer ui = anonymous.get("/swagger-ui.html");
        assertThat(ui.status()).as(ui.toString()).isIn(200, 302);
        Answer index = anonymous.get("/swagger-ui/index.html");
        assertThat(index.status()).isEqualTo(200);
        assertThat(index.body()).contains("swagger-ui");
        assertThat(anonymous.get("/swagger-ui/swagger-initializer.js").body()).contains("/v3/api-docs");
        Answer yaml = anonymous.get("/v3/api-docs.yaml");
        assertThat(yaml.status()).isEqualTo(200);
        assertThat(yaml.body()).contains("openapi: 3.");

        assertThat(anonymous.get("/api/v1/builds").status()).isEqualTo(401);
        assertThat(anonymous.get("/builds").status())
                .as("the pages still send to sign-in")
                .isEqualTo(302);
        assertThat(anonymous.post("/v3/api-docs", "{}").status()).isEqualTo(403);
    }

    /** Every handler under /api and /hooks, once per path and method. */
    private List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (Map.Entry<RequestMappingInfo, HandlerMethod> mapping :
                mappings.getHandlerMethods().entrySet()) {
            RequestMappingInfo info = mapping.getKey();
            for (String path : info.getPatternValues()) {
                if (!path.startsWith("/api/") && !path.startsWith("/hooks/")) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                assertThat(methods).as("%s answers named methods", path).isNotEmpty();
                methods.forEach(method -> routes.add(new Route(
                        path,
                        method.name().toLowerCase(Locale.ROOT),
                        ResolvableType.forMethodReturnType(mapping.getValue().getMethod()),
                        mapping.getValue().getShortLogMessage())));
            }
        }
        return routes;
    }

    /** What the body of a handler's answer is: null for none. */
    private static ResolvableType bodyOf(ResolvableType returned) {
        ResolvableType body = HttpEntity.class.isAssignableFrom(returned.toClass()) ? returned.getGeneric(0) : returned;
        Class<?> type = body.toClass();
        return type == void.class || type == Void.class ? null : body;
    }

    private static ResolvableType elementOf(ResolvableType body) {
        return Collection.class.isAssignableFrom(body.toClass()) ? body.getGeneric(0) : body;
    }

    private static JsonNode successOf(JsonNode responses) {
        for (String status : List.of("200", "201", "202")) {
            if (responses.has(status)) {
                return responses.path(status);
            }
        }
        return null;
    }

    private static void references(JsonNode node, List<String> dangling, Set<String> schemas) {
        if (node.isObject()) {
            String ref = node.path("$ref").asString("");
            if (ref.startsWith("#/components/schemas/") && !schemas.contains(ref.substring(21))) {
                dangling.add(ref);
            }
            node.properties().forEach(child -> references(child.getValue(), dangling, schemas));
        } else if (node.isArray()) {
            node.forEach(child -> references(child, dangling, schemas));
        }
    }

    private record Route(String path, String method, ResolvableType returnType, String handler) {

        @Override
        public String toString() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }
}
