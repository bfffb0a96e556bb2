package dev.steadfast.cli.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.util.Map;

/** The dashboard on its own Jetty server: each request through the {@link Router}, the answer written back. */
final class JettyHandler extends Handler.Abstract {
    private final Router router;

    JettyHandler(Router router) {
        this.router = router;
    }

    @Override
    public boolean handle(org.eclipse.jetty.server.Request jetty, Response response, Callback callback) {
        Router.Answer answer = router.respond(new JettyRequest(jetty, router.basePath()));
        response.setStatus(answer.status());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.getHeaders().put(header.getKey(), header.getValue());
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
        return true;
    }
}
