package io.archfarm.portal.projects;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A project's tag templates: what a build of a ref publishes its manifest list as. Placeholders are {@code {branch}},
 * {@code {tag}}, {@code {sha}}, {@code {sha:N}} (the first N hex digits, 1..40) and {@code {build}} (the project's
 * build number); the template {@code latest} alone applies only to builds of the default branch. A template that needs
 * a branch gives nothing for a tag build, and the other way round, so one list serves both kinds of push.
 */
public final class TagTemplates {

    public static final String LATEST = "latest";
    static final int MAX_TEMPLATES = 20;
    static final int MAX_TAG_LENGTH = 128;

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]*)}");
    private static final Pattern SHA = Pattern.compile("sha(?::(\\d{1,9}))?");
    private static final Pattern NOT_IN_TAG = Pattern.compile("[^A-Za-z0-9._-]");
    private static final String KNOWN = "{branch}, {tag}, {sha}, {sha:N} (N from 1 to 40) and {build}";

    /** How the built commit was named: a branch, a tag, or (null) a bare commit id. */
    public enum RefKind {
        BRANCH,
        TAG
    }

    /**
     * What a build's tags are made from.
     *
     * @param kind          BRANCH, TAG, or null when a bare commit was built
     * @param refName       the ref's short name ({@code feature/login}, {@code v1.2.0}); null for a bare commit
     * @param commit        the full commit id that was built
     * @param buildNumber   the project's number for this build
     * @param defaultBranch whether the ref is the project's default branch (only then does {@code latest} apply)
     */
    public record Context(
            @Nullable RefKind kind, @Nullable String refName, String commit, long buildNumber, boolean defaultBranch) {

        public Context {
            Objects.requireNonNull(commit, "commit");
            if ((kind == null) != (refName == null)) {
                throw new IllegalArgumentException(
                        "a ref name goes with a ref kind: kind " + kind + ", name " + refName);
            }
        }
    }

    private TagTemplates() {}

    /**
     * The distinct tags {@code templates} give for {@code context}, in template order, each made a valid OCI tag:
     * characters a tag cannot hold become {@code -} ({@code feature/login} gives {@code feature-login}), a leading
     * {@code .} or {@code -} becomes {@code _}, and the tag is cut at 128 characters.
     *
     * @throws IllegalArgumentException when a template is invalid (see {@link #validate})
     */
    public static List<String> render(List<String> templates, Context context) {
        Set<String> tags = new LinkedHashSet<>();
        for (String template : templates) {
            List<String> problems = problemsOf(template);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(problems.getFirst());
            }
            renderOne(template, context).map(TagTemplates::asTag).ifPresent(tags::add);
        }
        return List.copyOf(tags);
    }

    /** One message per invalid template, and one when there are more than 20; empty when all are usable. */
    public static List<String> validate(List<String> templates) {
        List<String> problems = new ArrayList<>();
        if (templates == null) {
            return problems;
        }
        if (templates.size() > MAX_TEMPLATES) {
            problems.add("at most " + MAX_TEMPLATES + " tag templates, not " + templates.size());
        }
        templates.forEach(template -> problems.addAll(problemsOf(template)));
        return problems;
    }

    private static Optional<String> renderOne(String template, Context context) {
        if (template.equals(LATEST)) {
            return context.kind() == RefKind.BRANCH && context.defaultBranch() ? Optional.of(LATEST) : Optional.empty();
        }
        StringBuilder tag = new StringBuilder();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        int literalStart = 0;
        while (placeholder.find()) {
            tag.append(template, literalStart, placeholder.start());
            String value = valueOf(placeholder.group(1), context);
            if (value == null) {
                return Optional.empty();
            }
            tag.append(value);
            literalStart = placeholder.end();
        }
        tag.append(template, literalStart, template.length());
        return tag.isEmpty() ? Optional.empty() : Optional.of(tag.toString());
    }

    /** The placeholder's value, or null when it does not apply to this build. */
    private static @Nullable String valueOf(String name, Context context) {
        return switch (name) {
            case "branch" -> context.kind() == RefKind.BRANCH ? context.refName() : null;
            case "tag" -> context.kind() == RefKind.TAG ? context.refName() : null;
            case "build" -> Long.toString(context.buildNumber());
            default -> {
                Matcher sha = SHA.matcher(name);
                sha.matches();
                String commit = context.commit();
                yield sha.group(1) == null
                        ? commit
                        : commit.substring(0, Math.min(commit.length(), Integer.parseInt(sha.group(1))));
            }
        };
    }

    private static String asTag(String value) {
        String tag = NOT_IN_TAG.matcher(value).replaceAll("-");
        if (tag.startsWith(".") || tag.startsWith("-")) {
            tag = "_" + tag.substring(1);
        }
        return tag.length() > MAX_TAG_LENGTH ? tag.substring(0, MAX_TAG_LENGTH) : tag;
    }

    private static List<String> problemsOf(String template) {
        if (template == null || template.isBlank()) {
            return List.of("tag templates must not be empty; write one such as {branch}, {tag}, sha-{sha:7} or latest");
        }
        List<String> problems = new ArrayList<>();
        Matcher placeholder = PLACEHOLDER.matcher(template);
        StringBuilder literal = new StringBuilder();
        int literalStart = 0;
        while (placeholder.find()) {
            literal.append(template, literalStart, placeholder.start());
            placeholderProblem(template, placeholder.group(1)).ifPresent(problems::add);
            literalStart = placeholder.end();
        }
        literal.append(template, literalStart, template.length());
        if (literal.indexOf("{") >= 0 || literal.indexOf("}") >= 0) {
            problems.add("tag template '" + template + "' has unbalanced braces; placeholders are written " + KNOWN);
        } else {
            Matcher bad = NOT_IN_TAG.matcher(literal);
            if (bad.find()) {
                problems.add("tag template '" + template + "' contains '" + bad.group()
                        + "', which an image tag cannot " + "hold (letters, digits, '.', '_' and '-' only)");
            } else if (literal.length() > MAX_TAG_LENGTH) {
                problems.add("tag template '" + template + "' is longer than a tag may be (" + MAX_TAG_LENGTH
                        + " characters)");
            }
        }
        return problems;
    }

    private static Optional<String> placeholderProblem(String template, String name) {
        if (name.equals("branch") || name.equals("tag") || name.equals("build")) {
            return Optional.empty();
        }
        Matcher sha = SHA.matcher(name);
        if (!sha.matches()) {
            return Optional.of(
                    "tag template '" + template + "' has an unknown placeholder {" + name + "}; known are " + KNOWN);
        }
        if (sha.group(1) != null) {
            int length = Integer.parseInt(sha.group(1));
            if (length < 1 || length > 40) {
                return Optional.of("tag template '" + template + "' asks for " + length
                        + " characters of the commit id; {sha:N} takes N from 1 to 40");
            }
        }
        return Optional.empty();
    }
}
