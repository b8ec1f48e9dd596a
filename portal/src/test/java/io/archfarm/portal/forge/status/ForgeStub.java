package io.archfarm.portal.forge.status;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A forge API on loopback: answers what the test queues and keeps what the client sent. */
public final class ForgeStub implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MockWebServer server = new MockWebServer();

    public ForgeStub() throws IOException {
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    public URI api(String rootPath) {
        return server.url(rootPath).uri();
    }

    public void answer(int code, String body) {
        server.enqueue(new MockResponse.Builder().code(code).body(body).build());
    }

    public void answer(MockResponse response) {
        server.enqueue(response);
    }

    public RecordedRequest received() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        if (request == null) {
            throw new AssertionError("the forge stub received no request within 5 s");
        }
        return request;
    }

    public int requestCount() {
        return server.getRequestCount();
    }

    public static JsonNode json(RecordedRequest request) {
        return JSON.readTree(request.getBody().utf8());
    }

    @Override
    public void close() {
        server.close();
    }
}
