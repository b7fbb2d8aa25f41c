package org.aioloop.core.aio;

import java.util.stream.Stream;
import org.aioloop.api.ClockSource;
import org.aioloop.core.AioContexts;
import org.aioloop.core.SystemClockSource;

/** Test factories: both real backends, found through ServiceLoader. */
final class Contexts {
    private Contexts() {
    }

    /** The backends every fd test runs on. */
    static Stream<String> backends() {
        return Stream.of("poll", "epoll");
    }

    static AioContextImpl open(String backend) {
        return open(backend, SystemClockSource.INSTANCE);
    }

    static AioContextImpl open(String backend, ClockSource clocks) {
        return AioContexts.builder().name("test-" + backend).backend(backend).clocks(clocks)
                .epollUpgradeThreshold(0).build();
    }
}
