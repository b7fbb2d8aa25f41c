package org.aioloop.bench.peer;

import java.io.IOException;

/**
 * A plain {@link java.nio.channels.Selector} loop written the obvious way: a task queue with
 * {@code Selector.wakeup()}, a {@link java.util.PriorityQueue} of timers, millisecond select
 * timeouts (all the JDK API offers).
 */
public final class SelectorPeer implements Peer {
    @Override
    public String name() {
        return "jdk-selector";
    }

    @Override
    public boolean isAioloop() {
        return false;
    }

    @Override
    public BenchLoop start(String threadName) throws IOException {
        return new SelectorLoop(threadName);
    }
}
