package org.aioloop.plugin.block;

import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The queue-depth limit of a block device: at most {@code depth} requests run at once, up to
 * {@code maxWaiting} more wait in FIFO order, and anything beyond is refused. Home thread only, so
 * it needs no lock
 * (the counters are volatile only so that statistics can be read from any thread).
 */
final class RequestQueue {
    private final String device;
    private final int depth;
    private final int maxWaiting;
    private final ArrayDeque<BlockRequest> waiting;
    // written on the home thread only; volatile so stats can be read from anywhere
    private volatile int inFlight;
    private volatile int maxInFlight;

    RequestQueue(String device, int depth, int maxWaiting) {
        this.device = device;
        this.depth = depth;
        this.maxWaiting = maxWaiting;
        this.waiting = new ArrayDeque<>(Math.min(maxWaiting, 1024));
    }

    /**
     * Starts {@code request} now if a slot is free, else queues it.
     *
     * @throws BlockQueueFullException if the wait queue is full too
     */
    void offer(BlockRequest request, Consumer<BlockRequest> start) {
        if (inFlight < depth) {
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            start.accept(request);
        } else if (waiting.size() < maxWaiting) {
            waiting.add(request);
        } else {
            throw new BlockQueueFullException(device, inFlight, waiting.size());
        }
    }

    /** A running request finished: start the next waiting one, if any. */
    void done(Consumer<BlockRequest> start) {
        inFlight--;
        BlockRequest next = waiting.poll();
        if (next != null) {
            inFlight++;
            start.accept(next);
        }
    }

    /** Removes and returns the oldest waiting request, or null (for detach). */
    BlockRequest drainOne() {
        return waiting.poll();
    }

    int inFlight() {
        return inFlight;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    int waiting() {
        return waiting.size();
    }
}
