package io.archfarm.portal.web;

import java.io.IOException;

/** A request body over {@code archfarm.portal.max-request-bytes}; an IOException so that it stops any body reader. */
class RequestTooLargeException extends IOException {

    RequestTooLargeException(String detail) {
        super(detail);
    }
}
