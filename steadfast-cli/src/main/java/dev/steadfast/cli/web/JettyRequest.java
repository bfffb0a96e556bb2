package dev.steadfast.cli.web;

import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.util.Fields;

import java.util.List;

/** A request to the dashboard's own Jetty server. */
final class JettyRequest extends Request {
    private final org.eclipse.jetty.server.Request jetty;
    private final Fields query;
    private Fields form;

    JettyRequest(org.eclipse.jetty.server.Request jetty, String basePath) {
        super(jetty.getMethod(), jetty.getHttpURI().getDecodedPath(), basePath);
        this.jetty = jetty;
        this.query = org.eclipse.jetty.server.Request.extractQueryParameters(jetty);
    }

    @Override
    String param(String name) {
        return query.getValue(name);
    }

    @Override
    boolean hasQueryParam(String name) {
        return query.get(name) != null;
    }

    @Override
    String field(String name) {
        return form().getValue(name);
    }

    @Override
    List<String> fields(String name) {
        return form().getValues(name);
    }

    private Fields form() {
        if (form == null) {
            form = "POST".equals(method) ? FormFields.getFields(jetty, MAX_FORM_FIELDS, MAX_FORM_BYTES) : Fields.EMPTY;
        }
        return form;
    }

    @Override
    long contentLength() {
        return jetty.getLength();
    }

    @Override
    java.io.InputStream bodyStream() {
        return org.eclipse.jetty.io.Content.Source.asInputStream(jetty);
    }

    @Override
    String header(String name) {
        return jetty.getHeaders().get(name);
    }

    @Override
    String cookie(String name) {
        for (HttpCookie cookie : org.eclipse.jetty.server.Request.getCookies(jetty)) {
            if (cookie.getName().equals(name)) {
                return cookie.getValue();
            }
        }
        return null;
    }

    @Override
    boolean transportSecure() {
        return jetty.isSecure();
    }

    @Override
    String remoteAddress() {
        return org.eclipse.jetty.server.Request.getRemoteAddr(jetty);
    }
}
