package io.archfarm.model.hosts;

import java.util.Locale;
import java.util.regex.Pattern;

/** Host names as DNS compares them, and the only spelling of one the farm accepts (letters, digits, dots, dashes, underscores). */
final class HostNames {

    private static final String LABEL = "[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?";
    private static final Pattern HOST_NAME = Pattern.compile(LABEL + "(\\." + LABEL + ")*");

    private HostNames() {}

    /** Lower case, without the trailing dot of a fully qualified name. */
    static String normalised(String host) {
        String lower = host.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }

    /**
     * True for a syntactically valid name. A leading dash is never valid: git would hand {@code -oProxyCommand=...} to
     * ssh as an option.
     */
    static boolean isValid(String normalisedHost) {
        return normalisedHost.length() <= 253
                && HOST_NAME.matcher(normalisedHost).matches();
    }
}
