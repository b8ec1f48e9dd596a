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
 * bytes (as {@code base64} prints it, also wrapped at 76 columns). A log streams: {@link #redactAcrossLines} can
 * stop before a tail that may be the start of a value whose rest has not been printed yet. A line without any value
 * costs one {@link String#contains} per value form.
 */
public final class SecretRedaction {

    static final String MASK = "****";
    static final int MIN_LINE_CHARS = 8;
    static final int MIN_BASE64_BYTES = 4;
    private static final int BASE64_COLUMNS = 76;
    private static final SecretRedaction NONE = new SecretRedaction(List.of());

    /** Longest first, so that a whole value wins over one of its lines. */
    private final List<String> needles;
    /** The needles that span lines, which only a look at several lines together finds. */
    private final List<String> multiLine;

    private SecretRedaction(List<String> needles) {
        this.needles = needles;
        this.multiLine =
                needles.stream().filter(needle -> needle.contains("\n")).toList();
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
                shown.lines()
                        .filter(line -> line.strip().length() >= MIN_LINE_CHARS)
                        .forEach(needles::add);
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

    /** The text with every value replaced; for a line as it comes, or a complete message like a job's error. */
    public String redact(String text) {
        if (text == null || noneIn(text, needles)) {
            return text;
        }
        return scan(text, needles, true).text();
    }

    /**
     * Masks the values that span lines in a stream of lines that {@link #redact(String)} has masked one by one.
     *
     * @param complete false while more of the stream may follow: the result then stops before the longest tail that
     *                 is the start of such a value, and says how much of the input it covers
     */
    Redacted redactAcrossLines(CharSequence stream, boolean complete) {
        String text = stream.toString();
        if (multiLine.isEmpty()) {
            return new Redacted(text, text.length());
        }
        if (noneIn(text, multiLine)) {
            int covered = complete ? text.length() : text.length() - startOfAValueAtTheEnd(text);
            return new Redacted(text.substring(0, covered), covered);
        }
        return scan(text, multiLine, complete);
    }

    /**
     * Replaces values from the start of the text, the longest first where several start at one place.
     *
     * @param complete false: stop at the first place from which the rest of the text is the start of a value
     */
    private static Redacted scan(String text, List<String> needles, boolean complete) {
        StringBuilder out = new StringBuilder(text.length());
        int at = 0;
        scan:
        while (at < text.length()) {
            for (String needle : needles) {
                if (text.startsWith(needle, at)) {
                    out.append(MASK);
                    at += needle.length();
                    continue scan;
                }
            }
            if (!complete && isStartOfOne(text, at, needles)) {
                break;
            }
            out.append(text.charAt(at));
            at++;
        }
        return new Redacted(out.toString(), at);
    }

    private static boolean noneIn(String text, List<String> needles) {
        for (String needle : needles) {
            if (text.contains(needle)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isStartOfOne(String text, int at, List<String> needles) {
        int rest = text.length() - at;
        for (String needle : needles) {
            if (needle.length() > rest && text.regionMatches(at, needle, 0, rest)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The length of the longest tail of the text that is the start of a multi-line value. The text ends a line, so
     * only a start that ends a line of the value can be one.
     */
    private int startOfAValueAtTheEnd(String text) {
        int longest = 0;
        for (String needle : multiLine) {
            for (int end = needle.lastIndexOf('\n', needle.length() - 2);
                    end >= 0 && end + 1 > longest;
                    end = needle.lastIndexOf('\n', end - 1)) {
                int length = end + 1;
                if (length <= text.length() && text.regionMatches(text.length() - length, needle, 0, length)) {
                    longest = length;
                    break;
                }
            }
        }
        return longest;
    }

    /** The redacted text, and how many characters of the input it covers (the rest waits for more output). */
    record Redacted(String text, int consumed) {}
}
