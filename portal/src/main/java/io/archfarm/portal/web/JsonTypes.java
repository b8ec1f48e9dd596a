package io.archfarm.portal.web;

import java.time.Duration;
import java.time.temporal.Temporal;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** What a value was expected to be, in the words of a JSON or URL user rather than Java's type names. */
final class JsonTypes {

    private static final Pattern QUOTED_TYPE = Pattern.compile("`[^`]*`");
    /** Where the parser was, in its own words: "(start marker at [Source: ...; byte offset: #1])". */
    private static final Pattern LOCATION =
            Pattern.compile("\\s*\\(?\\s*(start marker )?at \\[Source:.*$", Pattern.DOTALL);

    private JsonTypes() {}

    static String describe(@Nullable Class<?> type) {
        if (type == null) {
            return "another kind of value";
        }
        if (type == String.class || type == Character.class || type == char.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == Integer.class
                || type == int.class
                || type == Long.class
                || type == long.class
                || type == Short.class
                || type == short.class) {
            return "a whole number";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == UUID.class) {
            return "an id of 32 hex digits as 8-4-4-4-12, such as 3f2b1c4d-0000-4000-8000-000000000000";
        }
        if (type == Duration.class) {
            return "a duration such as PT10M";
        }
        if (Temporal.class.isAssignableFrom(type)) {
            return "a date and time such as 2030-01-31T12:00:00Z";
        }
        if (type.isEnum()) {
            return "one of "
                    + Arrays.stream(type.getEnumConstants())
                            .map(String::valueOf)
                            .collect(Collectors.joining(", "));
        }
        if (type.isArray() || Collection.class.isAssignableFrom(type)) {
            return "an array";
        }
        if (Map.class.isAssignableFrom(type)) {
            return "an object of names and values";
        }
        return "an object";
    }

    /** A parser's message without the Java type names it quotes in backticks. */
    static String plain(String message) {
        if (message == null) {
            return "unreadable";
        }
        return QUOTED_TYPE.matcher(LOCATION.matcher(message).replaceAll("")).replaceAll("a value");
    }
}
