package io.archfarm.model.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScrapeAccessTest {

    private static final String TOKEN = "0123456789abcdef0123456789abcdef";

    @Test
    void aScraperOnTheSameHostNeedsNoToken() {
        ScrapeAccess noToken = new ScrapeAccess(null);
        assertThat(noToken.allows("127.0.0.1", null)).isTrue();
        assertThat(noToken.allows("127.3.2.1", null)).isTrue();
        assertThat(noToken.allows("0:0:0:0:0:0:0:1", null)).isTrue();
        assertThat(noToken.allows("::1", null)).isTrue();
        assertThat(noToken.allows("::ffff:127.0.0.1", null))
                .as("IPv4 loopback seen through a dual-stack socket")
                .isTrue();
    }

    @Test
    void aScraperElsewhereNeedsTheToken() {
        ScrapeAccess access = new ScrapeAccess(TOKEN);
        assertThat(access.allows("192.0.2.10", null)).isFalse();
        assertThat(access.allows("192.0.2.10", "Bearer " + TOKEN)).isTrue();
        assertThat(access.allows("192.0.2.10", "bearer " + TOKEN)).isTrue();
        assertThat(access.allows("192.0.2.10", "Bearer " + TOKEN + "x")).isFalse();
        assertThat(access.allows("192.0.2.10", "Basic " + TOKEN)).isFalse();
        assertThat(access.allows("2001:db8::1", "Bearer wrong-token-of-some-length"))
                .isFalse();
        assertThat(new ScrapeAccess("  ").allows("192.0.2.10", "Bearer "))
                .as("no token set lets nobody in")
                .isFalse();
    }

    @Test
    void aNameIsNeverLookedUpAsIfItWereAnAddress() {
        ScrapeAccess access = new ScrapeAccess(null);
        assertThat(access.allows("localhost", null)).isFalse();
        assertThat(access.allows("", null)).isFalse();
        assertThat(access.allows(null, null)).isFalse();
    }

    @Test
    void aShortTokenIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> new ScrapeAccess("short"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archfarm.metrics.scrape-token");
    }

    @Test
    void everyActuatorEndpointButHealthIsGuarded() {
        assertThat(ScrapeAccess.guards("/actuator/prometheus")).isTrue();
        assertThat(ScrapeAccess.guards("//actuator//prometheus")).isTrue();
        assertThat(ScrapeAccess.guards("/actuator/info")).isTrue();
        assertThat(ScrapeAccess.guards("/actuator")).isTrue();
        assertThat(ScrapeAccess.guards("/actuator/health")).isFalse();
        assertThat(ScrapeAccess.guards("/actuator/health/liveness")).isFalse();
        assertThat(ScrapeAccess.guards("/api/v1/builds")).isFalse();
        assertThat(ScrapeAccess.guards("/actuatorx")).isFalse();
    }
}
