package io.archfarm.portal.forge.webhook;

/**
 * A delivery is not authentic: its signature or token is missing, unreadable or wrong. The webhook endpoint answers
 * 401 and starts nothing. The message says which header was wrong and how, and never contains the secret.
 */
public class WebhookRejectedException extends RuntimeException {

    public WebhookRejectedException(String message) {
        super(message);
    }
}
