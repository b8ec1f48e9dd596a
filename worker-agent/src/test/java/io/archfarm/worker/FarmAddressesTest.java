package io.archfarm.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Address literals only: a test must not send a DNS query off this machine. */
class FarmAddressesTest {

    @Test
    void theFarmsHostsBecomeIpv4AddressesWithoutTheirPorts() {
        assertThat(FarmAddresses.of(List.of("127.0.0.1:5672", "127.0.0.1", "[::1]:5672", "127.0.0.2", " ")))
                .containsExactly("127.0.0.1/32", "127.0.0.2/32");
    }
}
