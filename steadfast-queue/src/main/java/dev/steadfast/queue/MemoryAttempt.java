package dev.steadfast.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** What a context made by a test keeps: all in memory, steps run once per context. */
final class MemoryAttempt implements JobContext.Attempt {
    private final Map<String, Object> steps = new HashMap<>();

    @Override
    public void progress(double fraction, String message) {}

    @Override
    public void log(String line) {}

    @Override
    public void result(Object result) {}

    @Override
    public synchronized <T> T step(String name, Class<T> resultType, Callable<T> work) throws Exception {
        if (steps.containsKey(name)) {
            return resultType.cast(steps.get(name));
        }
        T result = work.call();
        steps.put(name, result);
        return result;
    }

    @Override
    public <T> T transactionalStep(String name, Class<T> resultType, JobContext.TransactionalStep<T> work) {
        throw new UnsupportedOperationException(
                "step " + name + " is transactional: it needs a worker's database (run the job with a Worker)");
    }
}
