package org.aioloop.bench.scenario;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Bounded waits for the scenarios: a run that hangs fails with a message instead of hanging.
 */
final class Waits {
    private Waits() {
    }

    static void await(CountDownLatch latch, long timeoutMillis, String what) throws InterruptedException,
            TimeoutException {
        if (!latch.await(timeoutMillis, TimeUnit.MILLISECONDS)) {
            throw new TimeoutException(what + " did not finish within " + timeoutMillis + " ms");
        }
    }
}
