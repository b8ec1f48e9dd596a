package io.archfarm.worker.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Replaces a job's secret values with {@code ****} in what the job reports. It looks for each value as the log shows
 * it (line ends as {@code \n}, without the trailing newline a secret file often has), each line of a multi-line value
 * of {@value #MIN_LINE_CHARS} or more characters, and the base64 of values of {@value #MIN_BASE64_BYTES} or more
 * bytes (as {@code base64} prints it, also wrapped at 76 columns). A log streams: {@link #redact(CharSequence,
 * boolean)} can stop before a tail that may be the start of a value whose rest has not been printed yet.
 */
public final class SecretRedaction {

    static final String MASK = "****";
    static final int MIN_LINE_CHARS = 8;
    static final int MIN_BASE64_BYTES = 4;
    private static final int BASE64_COLUMNS = 76;
    private static final SecretRedaction NONE = new SecretRedaction(List.of());

    /** Longest first, so that a whole value wins over one of its lines. */
    private final List<String> needles;

    private SecretRedaction(List<String> needles) {
        this.needles = needles;
    }

    public static SecretRedaction none() {
        return NONE;
    }

    static SecretRedaction of(Collection<String> values) {
        Set<String> needles = new LinkedHashSet<>();
        for (String value : values) {
            String shown = value.replace("\r\n", "\n").replace('\r', '\n').replaceAll("\n+$", "");
            if (shown.isEmpty()) {
                continue;
            }
            needles.add(shown);
            if (shown.contains("\n")) {
                shown.lines().filter(line -> line.strip().length() >= MIN_LINE_CHARS).forEach(needles::add);
            }
            base64(value.getBytes(StandardCharsets.UTF_8), needles);
        }
        List<String> sorted = new ArrayList<>(needles);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return sorted.isEmpty() ? NONE : new SecretRedaction(List.copyOf(sorted));
    }

    /**
     * The base64 of the value's first 3·k bytes: the part of its base64 that does not depend on what follows the
     * value (a newline from {@code echo}, more text), unwrapped and wrapped as {@code base64} wraps its output.
     */
    private static void base64(byte[] value, Set<String> needles) {
        int aligned = value.length / 3 * 3;
        if (value.length < MIN_BASE64_BYTES) {
            return;
        }
        byte[] head = new byte[aligned];
        System.arraycopy(value, 0, head, 0, aligned);
        String encoded = Base64.getEncoder().encodeToString(head);
        needles.add(encoded);
        if (encoded.length() > BASE64_COLUMNS) {
            StringBuilder wrapped = new StringBuilder(encoded);
            for (int at = BASE64_COLUMNS; at < wrapped.length(); at += BASE64_COLUMNS + 1) {
                wrapped.insert(at, '\n');
            }
            needles.add(wrapped.toString());
        }
    }

    public boolean isEmpty() {
        return needles.isEmpty();
    }

    /** The text with every value replaced; for a message that is complete, like a job's error. */
    public String redact(String text) {
        return text == null || needles.isEmpty() ? text : redact(text, true).text();
    }

    /**
     * Redacts the text from its start.
     *
     * @param complete false while more of the stream may follow: the scan then stops at the first position from which
     *                 the text to its end is the start of a value, and reports how much it did not consume
     */
    Redacted redact(CharSequence text, boolean complete) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        scan:
        while (at < text.length()) {
            for (String needle : needles) {
                if (startsWith(text, at, needle)) {
                    out.append(MASK);
                    at += needle.length();
                    continue scan;
                }
            }
            if (!complete && startOfSomeNeedle(text, at)) {
                break;
            }
            out.append(text.charAt(at));
            at++;
        }
        return new Redacted(out.toString(), at);
    }

    /** The redacted text, and how many characters of the input it covers (the rest waits for more output). */
    record Redacted(String text, int consumed) {
    }

    private boolean startOfSomeNeedle(CharSequence text, int at) {
        int rest = text.length() - at;
        for (String needle : needles) {
            if (needle.length() > rest && startsWith(needle, 0, text, at, rest)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWith(CharSequence text, int at, String needle) {
        return text.length() - at >= needle.length() && startsWith(needle, 0, text, at, needle.length());
    }

    private static boolean startsWith(String needle, int from, CharSequence text, int at, int length) {
        for (int i = 0; i < length; i++) {
            if (needle.charAt(from + i) != text.charAt(at + i)) {
                return false;
            }
        }
        return true;
    }
}
