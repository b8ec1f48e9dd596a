package io.archfarm.portal.forge.webhook;

/**
 * An authentic delivery cannot be understood: its body is not a JSON object, or a header or field the farm needs is
 * missing or invalid. The webhook endpoint answers 400 and starts nothing. The message names what is wrong.
 */
public class MalformedWebhookException extends RuntimeException {

    public MalformedWebhookException(String message) {
        super(message);
    }
}
