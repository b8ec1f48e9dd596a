package io.archfarm.portal.projects;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A project's branch or tag filters: globs over a ref's short name ({@code main}, {@code release/1.2}, {@code v1.0}).
 * {@code *} is any run of characters except {@code /}, {@code **} any run including {@code /}, {@code ?} one
 * character except {@code /}; a pattern starting with {@code !} excludes. A name passes when at least one positive
 * pattern matches it and no negative one does, so an empty list lets nothing through: a project builds only the refs
 * it names.
 */
public final class RefFilters {

    static final int MAX_PATTERNS = 50;

    private RefFilters() {}

    /** True when {@code refName} matches a positive pattern of {@code filters} and no {@code !} pattern. */
    public static boolean matches(List<String> filters, String refName) {
        if (filters == null) {
            return false;
        }
        boolean included = false;
        for (String filter : filters) {
            if (filter == null || filter.isEmpty()) {
                continue;
            }
            if (filter.startsWith("!")) {
                if (glob(filter.substring(1)).matcher(refName).matches()) {
                    return false;
                }
            } else if (!included) {
                included = glob(filter).matcher(refName).matches();
            }
        }
        return included;
    }

    /** One message per problem in {@code filters}; empty when they are usable. */
    public static List<String> validate(List<String> filters) {
        List<String> problems = new ArrayList<>();
        if (filters == null) {
            return problems;
        }
        if (filters.size() > MAX_PATTERNS) {
            problems.add("at most " + MAX_PATTERNS + " ref filters, not " + filters.size());
        }
        for (int i = 0; i < filters.size(); i++) {
            String filter = filters.get(i);
            String pattern = filter == null ? "" : filter.startsWith("!") ? filter.substring(1) : filter;
            if (pattern.isBlank()) {
                problems.add("ref filter #" + (i + 1) + " is empty; write a glob such as main, release/** or !wip-*");
            } else if (pattern.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
                problems.add("ref filter '" + filter + "' contains whitespace or control characters, which no git ref "
                        + "name has");
            }
        }
        return problems;
    }

    /** The glob as a regular expression over the whole name. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
