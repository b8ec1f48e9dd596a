package io.archfarm.scheduler.manifests;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One challenge of a {@code WWW-Authenticate} header (RFC 9110, section 11.6.1): a scheme and its parameters, such as
 * {@code Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull"}. Registries
 * differ in spacing, order and quoting, so the header is read by the grammar, not by one pattern.
 */
record Challenge(String scheme, Map<String, String> parameters) {

    Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name.toLowerCase(Locale.ROOT)));
    }

    boolean is(String name) {
        return scheme.equalsIgnoreCase(name);
    }

    /** Every challenge in {@code header}; empty when there is none it can read. */
    static List<Challenge> parse(String header) {
        List<Challenge> challenges = new ArrayList<>();
        if (header == null) {
            return challenges;
        }
        Reader reader = new Reader(header);
        while (reader.skipSeparators()) {
            String scheme = reader.token();
            if (scheme.isEmpty()) {
                break;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            while (true) {
                int mark = reader.position;
                reader.skipSpaces();
                String name = reader.token();
                reader.skipSpaces();
                if (name.isEmpty() || !reader.take('=')) {
                    reader.position = mark;
                    break;
                }
                reader.skipSpaces();
                parameters.put(name.toLowerCase(Locale.ROOT), reader.value());
                reader.skipSpaces();
                if (!reader.take(',')) {
                    break;
                }
            }
            challenges.add(new Challenge(scheme, Map.copyOf(parameters)));
        }
        return challenges;
    }

    private static final class Reader {

        private final String text;
        private int position;

        Reader(String text) {
            this.text = text;
        }

        boolean skipSeparators() {
            while (position < text.length() && (text.charAt(position) == ',' || text.charAt(position) == ' ')) {
                position++;
            }
            return position < text.length();
        }

        void skipSpaces() {
            while (position < text.length() && (text.charAt(position) == ' ' || text.charAt(position) == '\t')) {
                position++;
            }
        }

        boolean take(char c) {
            if (position < text.length() && text.charAt(position) == c) {
                position++;
                return true;
            }
            return false;
        }

        String token() {
            int start = position;
            while (position < text.length() && isTokenChar(text.charAt(position))) {
                position++;
            }
            return text.substring(start, position);
        }

        String value() {
            if (!take('"')) {
                return token();
            }
            StringBuilder value = new StringBuilder();
            while (position < text.length() && text.charAt(position) != '"') {
                char c = text.charAt(position++);
                if (c == '\\' && position < text.length()) {
                    c = text.charAt(position++);
                }
                value.append(c);
            }
            take('"');
            return value.toString();
        }

        private static boolean isTokenChar(char c) {
            return c > ' ' && c < 127 && "\"(),:;<=>?@[\\]{}".indexOf(c) < 0;
        }
    }
}
