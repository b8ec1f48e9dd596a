package io.archfarm.model.hosts;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Made-up DNS answers, so that no test depends on (or sends anything to) a real resolver. */
final class Dns {

    static final String PUBLIC_ADDRESS = "140.82.121.3";

    private Dns() {}

    /** Each name (any case) resolves to its IP literals; any other name does not resolve. */
    static HostResolver answering(Map<String, List<String>> answers) {
        return host -> {
            List<String> literals = answers.entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase(host))
                    .map(Map.Entry::getValue)
                    .findFirst()
                    .orElseThrow(() -> new UnknownHostException(host + ": Name or service not known"));
            List<InetAddress> addresses = new ArrayList<>();
            for (String literal : literals) {
                addresses.add(InetAddress.getByName(literal));
            }
            return addresses;
        };
    }

    /** Every name resolves to a public address. */
    static HostResolver everythingPublic() {
        return host -> List.of(InetAddress.getByName(PUBLIC_ADDRESS));
    }
}
