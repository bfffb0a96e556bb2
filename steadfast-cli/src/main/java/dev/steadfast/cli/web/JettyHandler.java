package dev.steadfast.cli.web;

import dev.steadfast.web.internal.Router;
import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The dashboard on its own Jetty server: a POST's body is read whole first, without a thread or a permit while it
 * arrives ({@link BodyReader}, within the {@link Router#admit admission}'s limit, budget and deadline); then the
 * request goes through the {@link Router} on a thread of the pool, and the answer is written back.
 */
final class JettyHandler extends Handler.Abstract {
    private final Router router;

    JettyHandler(Router router) {
        this.router = router;
    }

    @Override
    public boolean handle(Request jetty, Response response, Callback callback) {
        JettyRequest request = new JettyRequest(jetty, router.basePath());
        if (!"POST".equals(request.method())) {
            write(router.respond(request), response, callback);
            return true;
        }
        Router.Admission admission = router.admit(request);
        if (admission.refusal() != null) {
            write(router.answer(request, admission.refusal()), response, callback);
            return true;
        }
        long declared = request.contentLength();
        BodyReader reader = new BodyReader(jetty, declared, admission.limit(), admission.budget(), outcome -> {
            if (outcome.refusal() != 0) {
                write(router.refuse(request, outcome.refusal()), response, callback);
            } else if (outcome.body() == null) {
                callback.failed(new EofException("the client went away before its request body was complete"));
            } else {
                jetty.getContext().execute(() -> {
                    try {
                        write(router.respond(request.withBody(outcome.body())), response, callback);
                    } catch (RuntimeException e) {
                        callback.failed(e);
                    } finally {
                        admission.budget().give(outcome.held());
                    }
                });
            }
        });
        reader.start(jetty.getComponents().getScheduler(), admission.reserve());
        return true;
    }

    private static void write(Router.Answer answer, Response response, Callback callback) {
        response.setStatus(answer.status());
        for (Map.Entry<String, String> header : answer.headers().entrySet()) {
            response.getHeaders().put(header.getKey(), header.getValue());
        }
        response.write(true, ByteBuffer.wrap(answer.body()), callback);
    }
}
