package io.archfarm.worker.build;

import io.archfarm.model.Platform;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The images a Containerfile makes buildah pull: each {@code FROM}, and each {@code --from=} of {@code COPY} and
 * {@code RUN --mount} that names no earlier stage. buildah pulls them in the worker's own network, outside the job's
 * sandbox, so their registries are hosts a user names like any other and go through the same rule before the build
 * starts. Variables are expanded as buildah does for these instructions: the global {@code ARG}s (before the first
 * {@code FROM}) with the build's arguments over their defaults, the automatic platform arguments, and an unset one as
 * empty.
 */
final class BaseImages {

    private static final Pattern INSTRUCTION = Pattern.compile("^\\s*([A-Za-z]+)(?:\\s+(.*))?$", Pattern.DOTALL);
    private static final Pattern ARG = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:=(\\S*))?");
    private static final Pattern FROM_OPTION = Pattern.compile("--from=(\\S+)");
    private static final Pattern MOUNT_FROM = Pattern.compile("(?:^|,)from=([^,\\s]+)");
    private static final Pattern VARIABLE =
            Pattern.compile("\\$(?:\\{([A-Za-z_][A-Za-z0-9_]*)(?::[-+]([^}]*))?}" + "|([A-Za-z_][A-Za-z0-9_]*))");

    private BaseImages() {}

    /** The image references {@code containerfile} pulls for {@code platform}, as written after expansion. */
    static List<String> of(String containerfile, Map<String, String> buildArgs, Platform platform) {
        Map<String, String> globals = automaticArgs(platform);
        Set<String> stages = new HashSet<>();
        Set<String> images = new LinkedHashSet<>();
        boolean seenFrom = false;
        for (String line : instructions(containerfile)) {
            Matcher instruction = INSTRUCTION.matcher(line);
            if (!instruction.matches() || instruction.group(2) == null) {
                continue;
            }
            String keyword = instruction.group(1).toUpperCase(Locale.ROOT);
            String rest = instruction.group(2).strip();
            switch (keyword) {
                case "ARG" -> {
                    if (!seenFrom) {
                        declareGlobal(rest, buildArgs, globals);
                    }
                }
                case "FROM" -> {
                    seenFrom = true;
                    List<String> words = words(rest);
                    String image = expand(words.isEmpty() ? "" : words.getFirst(), globals);
                    addImage(image, stages, images);
                    if (words.size() >= 3 && words.get(1).equalsIgnoreCase("AS")) {
                        stages.add(words.get(2).toLowerCase(Locale.ROOT));
                    }
                }
                case "COPY", "ADD" -> fromOptions(rest, FROM_OPTION, globals, stages, images);
                case "RUN" -> {
                    for (String word : words(rest)) {
                        if (word.startsWith("--mount=")) {
                            fromOptions(word.substring("--mount=".length()), MOUNT_FROM, globals, stages, images);
                        }
                    }
                }
                default -> {}
            }
        }
        return List.copyOf(images);
    }

    private static void declareGlobal(String declaration, Map<String, String> buildArgs, Map<String, String> globals) {
        for (String word : words(declaration)) {
            Matcher arg = ARG.matcher(word);
            if (arg.matches()) {
                String name = arg.group(1);
                String fallback = arg.group(2) == null ? "" : unquote(expand(arg.group(2), globals));
                globals.put(name, buildArgs.getOrDefault(name, fallback));
            }
        }
    }

    private static void fromOptions(
            String text, Pattern option, Map<String, String> globals, Set<String> stages, Set<String> images) {
        Matcher from = option.matcher(text);
        while (from.find()) {
            addImage(expand(unquote(from.group(1)), globals), stages, images);
        }
    }

    /** An image, unless it is {@code scratch}, an earlier stage's name or index, or nothing. */
    private static void addImage(String image, Set<String> stages, Set<String> images) {
        String name = image.strip();
        if (name.isEmpty()
                || name.equalsIgnoreCase("scratch")
                || name.chars().allMatch(Character::isDigit)
                || stages.contains(name.toLowerCase(Locale.ROOT))) {
            return;
        }
        images.add(name);
    }

    /** Logical lines: continuations joined, comments and blank lines dropped. */
    private static List<String> instructions(String containerfile) {
        List<String> lines = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String raw : containerfile.lines().toList()) {
            String trimmed = raw.strip();
            if (trimmed.startsWith("#") || (trimmed.isEmpty() && current.isEmpty())) {
                continue;
            }
            if (trimmed.endsWith("\\")) {
                current.append(trimmed, 0, trimmed.length() - 1).append(' ');
                continue;
            }
            lines.add(current.append(trimmed).toString());
            current.setLength(0);
        }
        if (!current.isEmpty()) {
            lines.add(current.toString());
        }
        return lines;
    }

    private static String expand(String text, Map<String, String> values) {
        Matcher variable = VARIABLE.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (variable.find()) {
            String name = variable.group(1) != null ? variable.group(1) : variable.group(3);
            String value = values.getOrDefault(name, "");
            if (variable.group(2) != null) {
                boolean useDefault = variable.group(0).contains(":-");
                value = useDefault
                        ? (value.isEmpty() ? variable.group(2) : value)
                        : (value.isEmpty() ? "" : variable.group(2));
            }
            variable.appendReplacement(expanded, Matcher.quoteReplacement(value));
        }
        variable.appendTail(expanded);
        return expanded.toString();
    }

    private static List<String> words(String text) {
        return List.of(text.strip().split("\\s+"));
    }

    private static String unquote(String value) {
        if (value.length() >= 2
                && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }

    /** What buildah sets before the first line; the build host is the worker, which is linux/amd64 or native. */
    private static Map<String, String> automaticArgs(Platform target) {
        Map<String, String> args = new HashMap<>();
        args.put("TARGETPLATFORM", target.toString());
        args.put("TARGETOS", target.os());
        args.put("TARGETARCH", target.architecture());
        args.put("TARGETVARIANT", target.variant() == null ? "" : target.variant());
        Platform.ofJvm().ifPresent(build -> {
            args.put("BUILDPLATFORM", build.toString());
            args.put("BUILDOS", build.os());
            args.put("BUILDARCH", build.architecture());
            args.put("BUILDVARIANT", build.variant() == null ? "" : build.variant());
        });
        return args;
    }
}
