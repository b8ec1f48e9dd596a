package io.archfarm.portal.forge.webhook;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads a delivery's JSON body, and the few fields the farm needs from it, without trusting their types. */
final class WebhookPayloads {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int QUOTED_VALUE_LIMIT = 80;

    private WebhookPayloads() {}

    /** The body as a JSON object; anything else is malformed, since every forge sends an object. */
    static JsonNode object(byte[] body) {
        JsonNode payload;
        try {
            payload = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedWebhookException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (payload == null || payload.isMissingNode()) {
            throw new MalformedWebhookException("the body is not a JSON object (it is empty)");
        }
        if (!payload.isObject()) {
            throw new MalformedWebhookException("the body is not a JSON object but " + payload.getNodeType());
        }
        return payload;
    }

    /**
     * The string at {@code path} (field names, nested left to right), or null when absent, null or not a string.
     *
     * @throws MalformedWebhookException when it holds a NUL character, which no ref, commit or name has (and which
     *         the delivery log could not store)
     */
    static @Nullable String string(JsonNode payload, String... path) {
        JsonNode node = payload;
        for (String field : path) {
            node = node.path(field);
        }
        String value = node.isString() ? node.stringValue() : null;
        if (value != null && value.indexOf('\0') >= 0) {
            throw new MalformedWebhookException(
                    "the payload's '" + String.join(".", path) + "' contains a NUL character (\\u0000)");
        }
        return value;
    }

    /** True only when the field is the JSON literal {@code true}. */
    static boolean isTrue(JsonNode payload, String field) {
        JsonNode node = payload.path(field);
        return node.isBoolean() && node.booleanValue();
    }

    /** A value from the payload for an error message: quoted, and cut short so a message stays readable. */
    static String quoted(@Nullable String value) {
        if (value == null) {
            return "nothing";
        }
        String shown = value.length() > QUOTED_VALUE_LIMIT ? value.substring(0, QUOTED_VALUE_LIMIT) + "..." : value;
        return "'" + shown + "'";
    }
}
