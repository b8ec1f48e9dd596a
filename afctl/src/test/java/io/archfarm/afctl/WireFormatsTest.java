package io.archfarm.afctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.archfarm.afctl.api.ServerEvent;
import io.archfarm.afctl.api.ServerEventParser;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The text/event-stream format as afctl reads it from the farm. */
class WireFormatsTest {

    private static List<ServerEvent> parse(String stream) {
        ServerEventParser parser = new ServerEventParser();
        List<ServerEvent> events = new ArrayList<>();
        stream.lines().forEach(line -> parser.line(line).ifPresent(events::add));
        parser.line("").ifPresent(events::add);
        return events;
    }

    @Test
    void eventsAreNamedAndTheirDataLinesJoined() {
        assertThat(parse("""
                event: build
                data: {"a":1}

                : keep-alive

                event:log
                data: first
                data:second
                id: 7

                data: unnamed
                """))
                .containsExactly(
                        new ServerEvent("build", "{\"a\":1}"),
                        new ServerEvent("log", "first\nsecond"),
                        new ServerEvent("message", "unnamed"));
    }

    @Test
    void crlfLineBreaksReadTheSame() {
        assertThat(parse("event: end\r\ndata: {}\r\n\r\n")).containsExactly(new ServerEvent("end", "{}"));
    }

    @Test
    void anEventWithoutDataIsNone() {
        assertThat(parse("event: build\n\n: comment only\n\n")).isEmpty();
    }
}
