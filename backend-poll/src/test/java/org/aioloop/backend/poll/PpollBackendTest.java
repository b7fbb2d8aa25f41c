package org.aioloop.backend.poll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ServiceLoader;
import org.aioloop.api.backend.PollBackend;
import org.junit.jupiter.api.Test;

/** How the poll backend is found and what it says about itself. */
class PpollBackendTest {
    @Test
    void serviceLoaderFindsIt() {
        long found = ServiceLoader.load(PollBackend.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(b -> "poll".equals(b.name()))
                .count();
        assertEquals(1, found);
    }

    @Test
    void nameRankAndAvailability() {
        PollBackend b = new PpollBackend();
        assertEquals("poll", b.name());
        assertEquals(10, b.rank());
        assertTrue(b.isAvailable(), b.unavailableReason());
    }
}
