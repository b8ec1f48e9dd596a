package io.archfarm.e2e.compose;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** docker-compose.yml as YAML reads it (anchors and merge keys resolved), with the questions the tests ask of it. */
record ComposeFile(Map<String, Service> services) {

    /** One service; {@code definition} is its mapping as written, after merge keys. */
    record Service(String name, Map<String, Object> definition) {

        Optional<String> buildTarget() {
            return Optional.ofNullable(map(definition.get("build")).get("target"))
                    .map(String::valueOf);
        }

        /** Its environment, in map or list form; a value is as written (interpolation is compose's business). */
        Map<String, String> environment() {
            Object environment = definition.get("environment");
            Map<String, String> values = new LinkedHashMap<>();
            if (environment instanceof List<?> list) {
                list.forEach(entry -> {
                    String[] parts = String.valueOf(entry).split("=", 2);
                    values.put(parts[0], parts.length > 1 ? parts[1] : "");
                });
            } else {
                map(environment).forEach((key, value) -> values.put(key, value == null ? "" : String.valueOf(value)));
            }
            return values;
        }

        /** The healthcheck's command, empty when there is none or it is disabled. */
        List<String> healthcheck() {
            Map<String, Object> healthcheck = map(definition.get("healthcheck"));
            if (Boolean.TRUE.equals(healthcheck.get("disable"))) {
                return List.of();
            }
            Object test = healthcheck.get("test");
            List<String> command = test instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList()
                    : test == null ? List.of() : List.of("CMD-SHELL", String.valueOf(test));
            return command.isEmpty() || command.getFirst().equals("NONE") ? List.of() : command;
        }

        /** Each service this one waits for, with the condition (the short list form means service_started). */
        Map<String, String> dependsOn() {
            Object dependsOn = definition.get("depends_on");
            Map<String, String> conditions = new LinkedHashMap<>();
            if (dependsOn instanceof List<?> list) {
                list.forEach(name -> conditions.put(String.valueOf(name), "service_started"));
            } else {
                map(dependsOn)
                        .forEach((name, spec) -> conditions.put(
                                name, String.valueOf(map(spec).getOrDefault("condition", "service_started"))));
            }
            return conditions;
        }

        String restart() {
            return String.valueOf(definition.getOrDefault("restart", "no"));
        }

        /** The service whose network namespace this one joins ({@code network_mode: service:<name>}). */
        Optional<String> networkOf() {
            String mode = String.valueOf(definition.getOrDefault("network_mode", ""));
            return mode.startsWith("service:") ? Optional.of(mode.substring("service:".length())) : Optional.empty();
        }

        List<String> list(String key) {
            return definition.get(key) instanceof List<?> list
                    ? list.stream().map(String::valueOf).toList()
                    : List.of();
        }
    }

    static ComposeFile read(Path file) {
        Map<String, Object> root;
        try (Reader reader = Files.newBufferedReader(file)) {
            root = map(new Yaml(new SafeConstructor(new LoaderOptions())).load(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        Map<String, Service> services = new LinkedHashMap<>();
        map(root.get("services")).forEach((name, definition) -> services.put(name, new Service(name, map(definition))));
        return new ComposeFile(services);
    }

    Service service(String name) {
        Service service = services.get(name);
        if (service == null) {
            throw new AssertionError(
                    "docker-compose.yml has no service '" + name + "' (it has " + services.keySet() + ")");
        }
        return service;
    }

    /** A one-shot: it is not restarted, and another service waits for it to complete. */
    boolean isOneShot(Service service) {
        return service.restart().equals("no")
                && services.values().stream()
                        .anyMatch(other -> "service_completed_successfully"
                                .equals(other.dependsOn().get(service.name())));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
    }
}
