package io.archfarm.afctl.api;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An open event stream, read on a thread of its own so that whoever takes its events can wait with a timeout (to
 * redraw a clock) and can tell a stream that went silent (a connection a network dropped without a word) from one
 * that is merely quiet: the farm sends a keep-alive comment at least every 15 s.
 */
public final class EventConnection implements AutoCloseable {

    private sealed interface Item {}

    private record Received(ServerEvent event) implements Item {}

    private record Ended(String why) implements Item {}

    private final FarmApi api;
    private final InputStream body;
    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile long lastHeard = System.nanoTime();
    private volatile boolean closed;
    private boolean ended;

    private EventConnection(FarmApi api, InputStream body) {
        this.api = api;
        this.body = body;
        this.reader = Thread.ofPlatform().daemon().name("afctl-events").unstarted(this::read);
    }

    /** Opens the stream at {@code path}; an error answer is thrown as the farm gave it. */
    public static EventConnection open(FarmApi api, Object path) {
        EventConnection connection = new EventConnection(api, api.events(path));
        connection.reader.start();
        return connection;
    }

    /**
     * The next event, or empty when none came within {@code wait}.
     *
     * @throws FarmUnreachable once the stream has ended or broken
     */
    public Optional<ServerEvent> next(Duration wait) {
        if (ended) {
            throw new FarmUnreachable("the event stream from " + api.base() + " has ended", null);
        }
        Item item;
        try {
            item = items.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw api.unreachable(e);
        }
        return switch (item) {
            case null -> Optional.empty();
            case Received received -> Optional.of(received.event());
            case Ended end -> {
                ended = true;
                throw new FarmUnreachable("the event stream from " + api.base() + " " + end.why(), null);
            }
        };
    }

    /** How long the stream has said nothing at all, keep-alives included. */
    public Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastHeard);
    }

    private void read() {
        ServerEventParser parser = new ServerEventParser();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lastHeard = System.nanoTime();
                parser.line(line).ifPresent(event -> items.add(new Received(event)));
            }
            items.add(new Ended("closed"));
        } catch (IOException e) {
            items.add(new Ended(closed ? "was closed" : "broke: " + e.getMessage()));
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            body.close();
        } catch (IOException e) {
            // the connection is gone either way
        }
        reader.interrupt();
    }
}
