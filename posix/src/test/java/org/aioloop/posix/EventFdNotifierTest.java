package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aioloop.api.EventNotifier;
import org.junit.jupiter.api.Test;

/** The eventfd notifier ({@link EventNotifiers#create()}). */
class EventFdNotifierTest extends EventNotifierContract {
    @Override
    EventNotifier newNotifier() {
        return EventNotifiers.create();
    }

    @Test
    void createUsesAnEventfd() {
        try (EventNotifier n = EventNotifiers.create()) {
            assertTrue(n instanceof EventFdNotifier, n.toString());
            assertEquals("anon_inode:[eventfd]", FdCounter.describeOpenFds().get(n.readFd()));
        }
    }

    /** A counter at its maximum makes write(2) fail with EAGAIN, which set() counts as success. */
    @Test
    void setOnAFullCounterSucceeds() {
        try (EventNotifier n = EventNotifiers.create(); NativeBuffer max = NativeBuffer.allocate(8)) {
            max.putLong(0, 0xfffffffffffffffeL);
            assertEquals(8, Posix.write(n.readFd(), max.address(), 8));
            assertEquals(Posix.WOULD_BLOCK, Posix.write(n.readFd(), max.address(), 8));
            n.set();
            assertTrue(n.testAndClear());
            assertFalse(n.testAndClear());
        }
    }
}
