package io.archfarm.scheduler.manifests;

import io.archfarm.model.ImageReference;
import io.archfarm.scheduler.RegistryProperties;
import io.archfarm.scheduler.registry.RegistryCredentials.Owned;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLHandshakeException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two calls of the OCI distribution API the merge needs: read an image manifest by digest, and put a manifest
 * under a digest or a tag. It answers a registry's {@code WWW-Authenticate} challenge as the distribution spec and
 * the token protocol say: HTTP Basic with the credential, or a Bearer token from the challenge's realm (anonymous when
 * there is no credential). TLS is verified against the JDK's CAs plus the registry's {@code certs.d} CAs; plain http
 * only for the registries listed in {@code archfarm.registry.insecure}.
 *
 * <p>Why not a library: the ORAS Java SDK (0.7) re-serializes an index before it pushes it, so the bytes pushed and
 * their digest are not the ones the farm computed and records; it keeps Bearer tokens in a process-wide cache keyed
 * by scope, which would hand one team's token to another team's merge; it reads the host's registries.conf and
 * switches to http on its own; and it reads only one order of the challenge's parameters.
 */
@Component
class RegistryClient {

    static final String MANIFEST_TYPES =
            "application/vnd.oci.image.manifest.v1+json, " + "application/vnd.docker.distribution.manifest.v2+json";

    private final RegistryProperties properties;
    private final JsonMapper json;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    RegistryClient(RegistryProperties properties, JsonMapper json) {
        this.properties = properties;
        this.json = json;
    }

    /** The calls for one image with one credential (or none); a session keeps its tokens to itself. */
    Session session(ImageReference image, Optional<Owned> credential) throws RegistryException {
        return new Session(image, credential, client(image.registry()));
    }

    /** Size and media type of a manifest as the registry serves it. */
    record IndexEntryFacts(long size, String mediaType) {}

    final class Session {

        private final ImageReference image;
        private final Optional<Owned> credential;
        private final HttpClient http;
        private final Map<String, String> tokens = new HashMap<>();
        private @Nullable String basic;

        private Session(ImageReference image, Optional<Owned> credential, HttpClient http) {
            this.image = image;
            this.credential = credential;
            this.http = http;
        }

        /** Reads the manifest {@code digest} and checks that its bytes hash to that digest. */
        IndexEntryFacts manifest(String digest) throws RegistryException {
            HttpResponse<byte[]> response = send(
                    "GET",
                    digest,
                    "pull",
                    builder -> builder.header("Accept", MANIFEST_TYPES).GET());
            if (response.statusCode() != 200) {
                throw RegistryException.answered(
                        "GET " + response.uri() + " answered " + response.statusCode() + ": " + body(response),
                        response.statusCode());
            }
            byte[] bytes = response.body();
            String actual = ImageIndex.sha256(bytes);
            if (!actual.equals(digest)) {
                throw new RegistryException("manifest " + image + "@" + digest + " has bytes that hash to " + actual);
            }
            String mediaType = response.headers()
                    .firstValue("Content-Type")
                    .map(t -> t.split(";")[0].trim())
                    .orElseThrow(() -> new RegistryException("GET " + response.uri() + " gave no Content-Type"));
            return new IndexEntryFacts(bytes.length, mediaType);
        }

        /** Puts the index under {@code reference} (its digest or a tag) and checks the registry stored those bytes. */
        void putIndex(String reference, ImageIndex index) throws RegistryException {
            HttpResponse<byte[]> response = send(
                    "PUT",
                    reference,
                    "pull,push",
                    builder -> builder.header("Content-Type", ImageIndex.MEDIA_TYPE)
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(index.bytes())));
            if (response.statusCode() != 201) {
                throw RegistryException.answered(
                        "PUT " + response.uri() + " answered " + response.statusCode() + ": " + body(response),
                        response.statusCode());
            }
            String stored =
                    response.headers().firstValue("Docker-Content-Digest").orElse(null);
            if (!index.digest().equals(stored)) {
                throw new RegistryException(
                        "PUT " + response.uri() + " stored digest " + stored + ", expected " + index.digest());
            }
        }

        /**
         * Sends the request; on a 401 answers the challenge once and sends it again. A 401 or 403 after that means
         * the credential (or the anonymous user) may not do {@code actions} on the repository.
         */
        private HttpResponse<byte[]> send(String method, String reference, String actions, Request request)
                throws RegistryException {
            URI uri = URI.create(scheme(image.registry()) + "://" + image.apiHost() + "/v2/" + image.repository()
                    + "/manifests/" + reference);
            String scope = "repository:" + image.repository() + ":" + actions;
            HttpResponse<byte[]> response =
                    exchange(http, request.complete(authorized(uri, scope)).build(), method, uri);
            if (response.statusCode() != 401) {
                return refusedIfDenied(response, method);
            }
            List<Challenge> challenges =
                    Challenge.parse(String.join(", ", response.headers().allValues("WWW-Authenticate")));
            Optional<Challenge> bearer =
                    challenges.stream().filter(c -> c.is("Bearer")).findFirst();
            if (bearer.isPresent()) {
                tokens.put(scope, token(bearer.get(), scope));
            } else if (challenges.stream().anyMatch(c -> c.is("Basic"))) {
                Owned owned = credential.orElseThrow(() -> RegistryException.refused("registry " + image.registry()
                        + " requires a login for " + image + " and the farm has no credential for it: set the"
                        + " project's registry credential, or add the registry to the scheduler's auth file"));
                basic = "Basic " + owned.credential().basic();
            } else {
                throw RegistryException.refused(
                        method + " " + uri + " answered 401 with no challenge the farm can answer"
                                + " (WWW-Authenticate: "
                                + String.join(", ", response.headers().allValues("WWW-Authenticate"))
                                + ")");
            }
            return refusedIfDenied(
                    exchange(http, request.complete(authorized(uri, scope)).build(), method, uri), method);
        }

        private HttpRequest.Builder authorized(URI uri, String scope) {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(properties.timeout());
            String token = tokens.get(scope);
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            } else if (basic != null) {
                builder.header("Authorization", basic);
            }
            return builder;
        }

        private HttpResponse<byte[]> refusedIfDenied(HttpResponse<byte[]> response, String method)
                throws RegistryException {
            int status = response.statusCode();
            if (status != 401 && status != 403) {
                return response;
            }
            throw RegistryException.refused("registry " + image.registry() + " refused " + who() + " " + method + " "
                    + image + " (" + status + "): " + body(response));
        }

        /** A token for {@code scope} from the challenge's realm, asked with the credential if there is one. */
        private String token(Challenge challenge, String scope) throws RegistryException {
            String realm = challenge
                    .parameter("realm")
                    .orElseThrow(() -> new RegistryException(
                            "registry " + image.registry() + " sent a Bearer challenge without a realm"));
            URI realmUri = realm(realm);
            StringBuilder query = new StringBuilder(realmUri.getRawQuery() == null ? "" : realmUri.getRawQuery());
            challenge.parameter("service").ifPresent(service -> append(query, "service", service));
            append(query, "scope", scope);
            URI uri = URI.create(realmUri.getScheme() + "://" + realmUri.getRawAuthority()
                    + (realmUri.getRawPath() == null ? "" : realmUri.getRawPath()) + "?" + query);
            HttpRequest.Builder builder =
                    HttpRequest.newBuilder(uri).timeout(properties.timeout()).GET();
            credential.ifPresent(owned -> builder.header(
                    "Authorization", "Basic " + owned.credential().basic()));
            HttpResponse<byte[]> response = exchange(http, builder.build(), "GET", uri);
            if (response.statusCode() == 401 || response.statusCode() == 403) {
                throw RegistryException.refused("registry " + image.registry() + " refused " + who() + " a token for "
                        + scope + " (" + response.statusCode() + " from " + uri.getHost() + ")");
            }
            if (response.statusCode() != 200) {
                throw RegistryException.answered(
                        "the token service " + uri.getHost() + " of registry " + image.registry() + " answered "
                                + response.statusCode() + ": " + body(response),
                        response.statusCode());
            }
            try {
                JsonNode answer = json.readTree(response.body());
                String token = answer.path("token")
                        .asString(answer.path("access_token").asString(""));
                if (token.isEmpty()) {
                    throw new RegistryException("the token service " + uri.getHost() + " of registry "
                            + image.registry() + " answered no token");
                }
                return token;
            } catch (JacksonException e) {
                throw new RegistryException("the token service " + uri.getHost() + " of registry " + image.registry()
                        + " answered something that is not JSON");
            }
        }

        /** The realm, held to the registry's own rule: https, or http only for a host listed as insecure. */
        private URI realm(String realm) throws RegistryException {
            URI uri;
            try {
                uri = URI.create(realm);
            } catch (IllegalArgumentException e) {
                throw new RegistryException("registry " + image.registry() + " sent a realm that is not a URL");
            }
            boolean secure = "https".equals(uri.getScheme());
            boolean insecureAllowed = "http".equals(uri.getScheme())
                    && uri.getRawAuthority() != null
                    && properties.isInsecure(uri.getRawAuthority());
            if (uri.getHost() == null || !(secure || insecureAllowed)) {
                throw new RegistryException("registry " + image.registry() + " sent the token realm " + realm
                        + ", which is neither https nor an http registry listed in archfarm.registry.insecure");
            }
            return uri;
        }

        private String who() {
            return credential
                    .map(owned -> "the credential of " + owned.owner() + " (user "
                            + owned.credential().username() + ")")
                    .orElse("anonymous access to");
        }
    }

    @FunctionalInterface
    private interface Request {
        HttpRequest.Builder complete(HttpRequest.Builder authorized);
    }

    /** One client per registry and set of CA files, so a CA added to certs.d is used from the next merge on. */
    private HttpClient client(String registry) throws RegistryException {
        try {
            List<Path> caFiles = properties.isInsecure(registry)
                    ? List.of()
                    : RegistryTrust.caFiles(properties.certsDirs(), registry);
            StringBuilder key = new StringBuilder(registry);
            for (Path file : caFiles) {
                key.append('|')
                        .append(file)
                        .append('@')
                        .append(Files.getLastModifiedTime(file).toMillis());
            }
            HttpClient existing = clients.get(key.toString());
            if (existing != null) {
                return existing;
            }
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(properties.timeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .sslContext(RegistryTrust.context(caFiles))
                    .build();
            clients.put(key.toString(), client);
            return client;
        } catch (IOException e) {
            throw new RegistryException(
                    "the CA certificates for registry " + registry + " cannot be read: " + e.getMessage(), e);
        }
    }

    private String scheme(String registry) {
        return properties.isInsecure(registry) ? "http" : "https";
    }

    private static void append(StringBuilder query, String name, String value) {
        if (!query.isEmpty()) {
            query.append('&');
        }
        query.append(name).append('=').append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }

    private HttpResponse<byte[]> exchange(HttpClient http, HttpRequest request, String method, URI uri)
            throws RegistryException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (SSLHandshakeException e) {
            throw RegistryException.untrusted(
                    "registry " + uri.getRawAuthority() + " presented a TLS certificate the"
                            + " scheduler does not trust (" + method + " " + uri + "): put the CA that signed it in "
                            + properties.certsDirs().stream()
                                    .findFirst()
                                    .map(Path::toString)
                                    .orElse("<certs.d>") + "/"
                            + uri.getRawAuthority()
                            + "/ca.crt, or list the registry in archfarm.registry.insecure if it"
                            + " speaks plain http (" + e.getMessage() + ")",
                    e);
        } catch (IOException e) {
            // refused, reset, timed out, closed mid-answer: the registry or the way to it, for now
            throw RegistryException.transientFault(method + " " + uri + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RegistryException(method + " " + uri + " interrupted", e);
        }
    }

    private static String body(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8).strip();
        return text.length() > 500 ? text.substring(0, 500) + "..." : text;
    }
}
