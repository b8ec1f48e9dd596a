package io.archfarm.portal.web;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SessionsOutliveLiveStreamsTest {

    @Test
    void theDefaultsLeaveABuildPageTwentyMinutesToReconnect() {
        assertThatCode(() -> SessionsOutliveLiveStreams.check(Duration.ofMinutes(30), Duration.ofMinutes(10)))
                .doesNotThrowAnyException();
    }

    @Test
    void aSessionNoLongerThanALiveStreamIsRefusedNamingBothSettings() {
        assertThatThrownBy(() -> SessionsOutliveLiveStreams.check(Duration.ofMinutes(10), Duration.ofMinutes(10)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("server.servlet.session.timeout")
                .hasMessageContaining("PT10M")
                .hasMessageContaining("archfarm.portal.live-timeout");
        assertThatThrownBy(() -> SessionsOutliveLiveStreams.check(Duration.ofSeconds(604), Duration.ofMinutes(10)))
                .as("within the reconnect margin")
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sessionsThatNeverEndOutliveEveryStream() {
        assertThatCode(() -> SessionsOutliveLiveStreams.check(Duration.ofSeconds(-1), Duration.ofMinutes(10)))
                .doesNotThrowAnyException();
    }
}
