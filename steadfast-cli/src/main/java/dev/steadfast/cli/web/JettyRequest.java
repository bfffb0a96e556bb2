package dev.steadfast.cli.web;

import dev.steadfast.web.internal.HttpStatusException;
import dev.steadfast.web.internal.Request;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Set;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.UrlEncoded;

/**
 * A request to the dashboard's own Jetty server. Its body, if any, has been read whole by {@link BodyReader} before the
 * request is routed ({@link #withBody}); a form is parsed from those bytes.
 */
final class JettyRequest extends Request {
    private final org.eclipse.jetty.server.Request jetty;
    private final Fields query;
    private byte[] body = new byte[0];
    private Fields form;

    JettyRequest(org.eclipse.jetty.server.Request jetty, String basePath) {
        super(jetty.getMethod(), jetty.getHttpURI().getDecodedPath(), basePath);
        this.jetty = jetty;
        this.query = org.eclipse.jetty.server.Request.extractQueryParameters(jetty);
    }

    @Override
    protected String param(String name) {
        return query.getValue(name);
    }

    @Override
    protected boolean hasQueryParam(String name) {
        return query.get(name) != null;
    }

    @Override
    protected Set<String> queryParamNames() {
        return query.getNames();
    }

    @Override
    protected String field(String name) {
        return form().getValue(name);
    }

    @Override
    protected List<String> fields(String name) {
        return form().getValues(name);
    }

    /** This request with the body read ahead of it. */
    JettyRequest withBody(byte[] bytes) {
        this.body = bytes;
        return this;
    }

    private Fields form() {
        if (form == null) {
            if (!"POST".equals(method())) {
                form = Fields.EMPTY;
            } else if (body.length > MAX_FORM_BYTES) {
                throw new HttpStatusException(413, "form larger than " + MAX_FORM_BYTES + " bytes");
            } else {
                Fields fields = new Fields(true);
                try {
                    UrlEncoded.decodeUtf8To(new ByteArrayInputStream(body), fields, MAX_FORM_BYTES, MAX_FORM_FIELDS);
                } catch (IOException | RuntimeException e) { // too many fields, broken %-escapes or UTF-8
                    throw new HttpStatusException(400, "malformed form");
                }
                form = fields;
            }
        }
        return form;
    }

    @Override
    protected long contentLength() {
        return jetty.getLength();
    }

    @Override
    protected InputStream bodyStream() {
        return new ByteArrayInputStream(body);
    }

    @Override
    protected String header(String name) {
        return jetty.getHeaders().get(name);
    }

    @Override
    protected String cookie(String name) {
        for (HttpCookie cookie : org.eclipse.jetty.server.Request.getCookies(jetty)) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    @Override
    protected boolean transportSecure() {
        return jetty.isSecure();
    }

    @Override
    protected String remoteAddress() {
        return org.eclipse.jetty.server.Request.getRemoteAddr(jetty);
    }
}
