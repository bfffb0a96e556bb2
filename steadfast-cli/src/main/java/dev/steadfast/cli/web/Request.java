package dev.steadfast.cli.web;

import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The parts of an HTTP request the dashboard uses: path, query and form parameters, cookies. */
final class Request {
    private static final int MAX_FORM = 64 * 1024;

    final HttpExchange exchange;
    final String method;
    final String path;
    private final Map<String, List<String>> params = new LinkedHashMap<>();

    Request(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.path = exchange.getRequestURI().getPath();
        parse(exchange.getRequestURI().getRawQuery());
        if ("POST".equals(method)) {
            byte[] body = exchange.getRequestBody().readNBytes(MAX_FORM + 1);
            if (body.length > MAX_FORM) {
                throw new IOException("form too large");
            }
            parse(new String(body, StandardCharsets.UTF_8));
        }
    }

    private void parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            params.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
    }

    String param(String name) {
        List<String> values = params.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    List<String> params(String name) {
        return params.getOrDefault(name, List.of());
    }

    int intParam(String name, int fallback) {
        try {
            String value = param(name);
            return value == null ? fallback : Math.max(0, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    String header(String name) {
        return exchange.getRequestHeaders().getFirst(name);
    }

    String cookie(String name) {
        List<String> headers = exchange.getRequestHeaders().get("Cookie");
        if (headers == null) {
            return null;
        }
        for (String header : headers) {
            for (String part : header.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals(name)) {
                    return kv[1];
                }
            }
        }
        return null;
    }
}
