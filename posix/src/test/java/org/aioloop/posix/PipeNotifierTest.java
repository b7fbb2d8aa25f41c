package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.aioloop.api.EventNotifier;
import org.junit.jupiter.api.Test;

/** The pipe fallback ({@link EventNotifiers#createPipe()}). */
class PipeNotifierTest extends EventNotifierContract {
    @Override
    EventNotifier newNotifier() {
        return EventNotifiers.createPipe();
    }

    @Test
    void bothEndsAreNonBlockingAndCloseOnExec() {
        try (EventNotifier n = EventNotifiers.createPipe()) {
            int w = ((PipeNotifier) n).writeFd();
            assertNotEquals(n.readFd(), w);
            for (int fd : new int[] {n.readFd(), w}) {
                assertTrue((Posix.fcntl(fd, Posix.F_GETFL, 0) & Posix.O_NONBLOCK) != 0, "O_NONBLOCK on " + fd);
                assertEquals(Posix.FD_CLOEXEC, Posix.fcntl(fd, Posix.F_GETFD, 0) & Posix.FD_CLOEXEC, "FD_CLOEXEC on " + fd);
            }
        }
    }

    /** More sets than the pipe holds: the full pipe (EAGAIN) counts as success, and one clear drains all. */
    @Test
    void setOnAFullPipeSucceedsAndClearDrainsEverything() {
        try (EventNotifier n = EventNotifiers.createPipe()) {
            for (int i = 0; i < 70_000; i++) {
                n.set();
            }
            assertTrue(n.testAndClear());
            assertFalse(n.testAndClear());
        }
    }
}
