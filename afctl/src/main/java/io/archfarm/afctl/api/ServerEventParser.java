package io.archfarm.afctl.api;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The text/event-stream format (WHATWG HTML, "server-sent events"), a line at a time: {@code event:} names the
 * event, each {@code data:} adds a line to it, a blank line dispatches it, and lines starting with {@code :} are
 * comments (the farm's keep-alives). {@code id:} and {@code retry:} are read past: afctl resumes with the farm's own
 * log cursors instead.
 */
public final class ServerEventParser {

    private @Nullable String name;
    private @Nullable StringBuilder data;

    /** Takes one line (without its line break) and returns the event a blank line completes. */
    public Optional<ServerEvent> line(String line) {
        if (line.isEmpty()) {
            return dispatch();
        }
        if (line.startsWith(":")) {
            return Optional.empty();
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "event" -> name = value;
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder(value);
                } else {
                    data.append('\n').append(value);
                }
            }
            default -> {
                // id, retry and unknown fields
            }
        }
        return Optional.empty();
    }

    private Optional<ServerEvent> dispatch() {
        Optional<ServerEvent> event = data == null
                ? Optional.empty()
                : Optional.of(new ServerEvent(name == null || name.isEmpty() ? "message" : name, data.toString()));
        name = null;
        data = null;
        return event;
    }
}
