package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ThreadNiceTest {
    @Test
    void lowersOnlyTheCallingThread() throws Exception {
        int mine = ThreadNice.currentThread();
        AtomicInteger seen = new AtomicInteger(Integer.MIN_VALUE);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                ThreadNice.setCurrentThread(ThreadNice.LOWEST);
                seen.set(ThreadNice.currentThread());
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join(10_000);
        assertNull(failure.get());
        assertEquals(ThreadNice.LOWEST, seen.get());
        assertEquals(mine, ThreadNice.currentThread(), "the caller's own nice value is unchanged");
    }

    @Test
    void outOfRangeIsRejectedBeforeAnyCall() {
        assertThrows(IllegalArgumentException.class, () -> ThreadNice.setCurrentThread(20));
        assertThrows(IllegalArgumentException.class, () -> ThreadNice.setCurrentThread(-21));
    }
}
