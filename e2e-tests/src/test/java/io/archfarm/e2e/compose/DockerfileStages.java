package io.archfarm.e2e.compose;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The stages of the Dockerfile ({@code FROM … AS name}): what each installs, sets and copies in. */
record DockerfileStages(Map<String, Stage> stages) {

    private static final Pattern FROM = Pattern.compile("(?i)^FROM\\s+\\S+\\s+AS\\s+(\\S+)$");
    private static final Pattern APT_INSTALL = Pattern.compile("apt-get\\s+install\\s+([^&;|]*)");
    private static final Pattern ENV_NAME = Pattern.compile("(?:^|\\s)([A-Za-z_][A-Za-z0-9_]*)=");

    /** One stage's instructions, each on one logical line (continuations joined). */
    record Stage(String name, List<String> instructions) {

        /** The packages its RUN steps install with apt-get. */
        Set<String> aptPackages() {
            Set<String> packages = new LinkedHashSet<>();
            for (String run : withKeyword("RUN")) {
                Matcher install = APT_INSTALL.matcher(run);
                while (install.find()) {
                    Arrays.stream(install.group(1).trim().split("\\s+"))
                            .filter(word -> !word.isEmpty() && !word.startsWith("-"))
                            .forEach(packages::add);
                }
            }
            return packages;
        }

        /** The names its ENV instructions set ({@code ENV A=1 B=2}). */
        Set<String> environment() {
            Set<String> names = new LinkedHashSet<>();
            for (String env : withKeyword("ENV")) {
                Matcher name = ENV_NAME.matcher(env);
                while (name.find()) {
                    names.add(name.group(1));
                }
            }
            return names;
        }

        /** The destinations of its COPY instructions. */
        Set<String> copied() {
            Set<String> destinations = new LinkedHashSet<>();
            for (String copy : withKeyword("COPY")) {
                String[] words = copy.trim().split("\\s+");
                destinations.add(words[words.length - 1]);
            }
            return destinations;
        }

        private List<String> withKeyword(String keyword) {
            return instructions.stream()
                    .filter(line -> line.regionMatches(true, 0, keyword + " ", 0, keyword.length() + 1))
                    .map(line -> line.substring(keyword.length() + 1))
                    .toList();
        }
    }

    static DockerfileStages read(Path dockerfile) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dockerfile, e);
        }
        Map<String, Stage> stages = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : logicalLines(lines)) {
            Matcher from = FROM.matcher(line);
            if (from.matches()) {
                current = new ArrayList<>();
                stages.put(from.group(1), new Stage(from.group(1), current));
            } else if (current != null) {
                current.add(line);
            }
        }
        return new DockerfileStages(stages);
    }

    Stage stage(String name) {
        Stage stage = stages.get(name);
        if (stage == null) {
            throw new AssertionError("the Dockerfile has no stage '" + name + "' (it has " + stages.keySet() + ")");
        }
        return stage;
    }

    private static List<String> logicalLines(List<String> lines) {
        List<String> logical = new ArrayList<>();
        StringBuilder pending = new StringBuilder();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && pending.isEmpty())) {
                continue;
            }
            if (line.endsWith("\\")) {
                pending.append(line, 0, line.length() - 1).append(' ');
            } else {
                logical.add(pending.append(line).toString().replaceAll("\\s+", " "));
                pending.setLength(0);
            }
        }
        return logical;
    }
}
