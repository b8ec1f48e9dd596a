package io.archfarm.portal.builds;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A server-sent event stream read to its end in the background, parsed as a client parses it (event name, data
 * lines, comments); what came so far is readable at any time.
 */
record EventStream(List<Event> events, List<String> comments, CompletableFuture<Void> ended) {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** A thread per stream: each blocks on its socket until the stream ends. */
    private static final Executor READERS =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().factory());

    static EventStream read(HttpResponse<InputStream> response) {
        assertThat(response.statusCode()).as("the stream opens").isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Event> events = new CopyOnWriteArrayList<>();
        List<String> comments = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> ended = CompletableFuture.runAsync(
                () -> {
                    try (BufferedReader lines =
                            new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                        String name = "message";
                        StringBuilder data = null;
                        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                            if (line.isEmpty()) {
                                if (data != null) {
                                    events.add(new Event(name, data.toString()));
                                }
                                name = "message";
                                data = null;
                            } else if (line.startsWith(":")) {
                                comments.add(line);
                            } else if (line.startsWith("event:")) {
                                name = line.substring("event:".length()).strip();
                            } else if (line.startsWith("data:")) {
                                String value = line.substring("data:".length());
                                value = value.startsWith(" ") ? value.substring(1) : value;
                                data = data == null
                                        ? new StringBuilder(value)
                                        : data.append('\n').append(value);
                            }
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                READERS);
        return new EventStream(events, comments, ended);
    }

    List<Event> named(String name) {
        return events.stream().filter(event -> event.name().equals(name)).toList();
    }

    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    record Event(String name, String data) {

        JsonNode json() {
            return JSON.readTree(data);
        }
    }
}
