package org.aioloop.posix.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.aioloop.posix.FdCounter;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class's fd leak check ({@code @ExtendWith(NoFdLeak.class)}): counts the process's open fds
 * before the class's first test and asserts, after its last one, that the count is back (waiting
 * up to 2 s, as other JVM threads open and close transient fds of their own); a failure lists every
 * open fd with what it points at.
 */
public final class NoFdLeak implements BeforeAllCallback, AfterAllCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(NoFdLeak.class);
    private static final String BEFORE = "fdsBefore";

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getStore(NS).put(BEFORE, FdCounter.openFds());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        int before = context.getStore(NS).get(BEFORE, Integer.class);
        assertTrue(FdCounter.awaitAtMost(before, Duration.ofSeconds(2)) <= before,
                () -> "fd leak: " + FdCounter.describeOpenFds());
    }
}
