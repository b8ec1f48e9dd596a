package io.archfarm.afctl.api;

/**
 * The farm answered a request with an error: its RFC 9457 problem ({@code title}, {@code detail}), or for an answer
 * that is not one (a proxy's page) the HTTP status and the start of the body.
 */
public final class ApiError extends RuntimeException {

    private final int status;
    private final String title;
    private final String detail;

    public ApiError(int status, String title, String detail) {
        super(detail == null || detail.isBlank() ? title : title + ": " + detail);
        this.status = status;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    /** A refused token: the caller is not authenticated, which afctl reports like an unreachable farm. */
    public boolean unauthenticated() {
        return status == 401;
    }

    /** A failure of the farm itself or of a proxy in front of it, which may pass if asked again. */
    public boolean transientFailure() {
        return status == 502 || status == 503 || status == 504;
    }
}
