package io.archfarm.portal.builds;

import java.util.regex.Pattern;

/**
 * Build output as a person reads it in a page: terminal colour and cursor sequences removed, carriage-return progress
 * lines ended as lines. The raw log (API and the raw link) keeps every byte.
 */
final class ReadableLog {

    /** CSI (colours, cursor moves), OSC (titles, links) and the two-character escapes. */
    private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]"
            + "|\u001B\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)"
            + "|\u001B[@-Z\\\\-_]"
            + "|\u009B[0-?]*[ -/]*[@-~]");
    /** Control characters other than tab and newline, which would show as boxes or nothing. */
    private static final Pattern CONTROLS = Pattern.compile("[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]");

    private ReadableLog() {}

    static String of(String raw) {
        if (raw == null || raw.isEmpty()) {
            return "";
        }
        String text = ESCAPES.matcher(raw).replaceAll("");
        text = text.replace("\r\n", "\n").replace('\r', '\n');
        return CONTROLS.matcher(text).replaceAll("");
    }
}
