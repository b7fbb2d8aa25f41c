package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class IdlePolicyTest {
    @Test
    void movesOnlyTheCallingThread() throws Exception {
        assertFalse(IdlePolicy.isCurrentThreadIdle());
        AtomicReference<Boolean> idle = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                IdlePolicy.applyToCurrentThread();
                idle.set(IdlePolicy.isCurrentThreadIdle());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join(10_000);
        assertNull(failure.get());
        assertEquals(Boolean.TRUE, idle.get());
        assertFalse(IdlePolicy.isCurrentThreadIdle(), "the caller keeps its policy");
    }
}
