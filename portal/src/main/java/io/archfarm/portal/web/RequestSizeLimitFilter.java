package io.archfarm.portal.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Caps every request body at {@code archfarm.portal.max-request-bytes}. The declared Content-Length is checked
 * first, and the stream itself is counted too, because a chunked body declares no length. Both failures surface
 * while the body is read, inside the dispatcher, so the one problem handler answers them with 413.
 */
@Component
class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBytes;
    private final long maxWebhookBytes;

    RequestSizeLimitFilter(PortalProperties properties) {
        this.maxBytes = properties.maxRequestBytes();
        this.maxWebhookBytes = properties.maxWebhookBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        chain.doFilter(
                new CappedRequest(request, request.getRequestURI().startsWith("/hooks/") ? maxWebhookBytes : maxBytes),
                response);
    }

    private static final class CappedRequest extends HttpServletRequestWrapper {

        private final long maxBytes;
        private @Nullable ServletInputStream stream;

        CappedRequest(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            long declared = getContentLengthLong();
            if (declared > maxBytes) {
                throw new RequestTooLargeException("request body of " + declared + " bytes is larger than the limit of "
                        + maxBytes + " bytes (archfarm.portal.max-request-bytes)");
            }
            if (stream == null) {
                stream = new CappedStream(super.getInputStream(), maxBytes);
            }
            return stream;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            return new BufferedReader(new InputStreamReader(
                    getInputStream(), encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding)));
        }
    }

    private static final class CappedStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final long maxBytes;
        private long count;

        CappedStream(ServletInputStream delegate, long maxBytes) {
            this.delegate = delegate;
            this.maxBytes = maxBytes;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws RequestTooLargeException {
            count += n;
            if (count > maxBytes) {
                throw new RequestTooLargeException("request body is larger than the limit of " + maxBytes
                        + " bytes (archfarm.portal.max-request-bytes)");
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
