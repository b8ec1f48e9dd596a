package io.archfarm.worker;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Gives the worker an HTTP port of its own, for health, info and metrics, when
 * {@code archfarm.worker.management-port} is set: {@code 0} for a free port the system picks (the log says which),
 * else that port, on {@code archfarm.worker.management-address} (127.0.0.1 unless configured otherwise). Unset, the
 * worker stays what it was, a process with no listening socket at all. The port is the worker's only server, so
 * {@code server.port} and {@code server.address} are taken from these two settings, whatever else says.
 */
class ManagementPort implements EnvironmentPostProcessor {

    static final String PORT = "archfarm.worker.management-port";
    static final String ADDRESS = "archfarm.worker.management-address";
    static final String DEFAULT_ADDRESS = "127.0.0.1";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String port = environment.getProperty(PORT);
        if (port == null || port.isBlank()) {
            return;
        }
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "archfarmWorkerManagementPort",
                        Map.of(
                                "spring.main.web-application-type", "servlet",
                                "server.port", Integer.toString(parse(port.strip())),
                                "server.address", environment.getProperty(ADDRESS, DEFAULT_ADDRESS))));
    }

    private static int parse(String port) {
        try {
            int number = Integer.parseInt(port);
            if (number >= 0 && number <= 65535) {
                return number;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException(
                PORT + " must be a port number (0 for a free one), or unset for no port;" + " was '" + port + "'");
    }
}
