package org.aioloop.core.aio;

/**
 * The handlers found ready by one pass (QEMU's stack-local {@code ready_list}). A node is on at most
 * one list: adding it to an inner (nested) pass's list steals it from the outer one, whose walk then
 * skips it, so nothing is dispatched twice. Reused across passes: no allocation in steady state.
 */
final class ReadyList {
    private FdHandler[] nodes = new FdHandler[64];
    private int size;

    void add(FdHandler h, int revents, boolean pollReady) {
        if (h.readyOn == this) {
            h.revents |= revents;
            h.pollReadyPending |= pollReady;
            return;
        }
        h.readyOn = this;
        h.revents = revents;
        h.pollReadyPending = pollReady;
        if (size == nodes.length) {
            FdHandler[] bigger = new FdHandler[size * 2];
            System.arraycopy(nodes, 0, bigger, 0, size);
            nodes = bigger;
        }
        nodes[size++] = h;
    }

    int size() {
        return size;
    }

    /**
     * Takes entry {@code i} if this list still owns it.
     *
     * @return the node, or null if a nested pass stole it
     */
    FdHandler take(int i) {
        FdHandler h = nodes[i];
        nodes[i] = null;
        if (h == null || h.readyOn != this) {
            return null;
        }
        h.readyOn = null;
        return h;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            FdHandler h = nodes[i];
            if (h != null && h.readyOn == this) {
                h.readyOn = null;
            }
            nodes[i] = null;
        }
        size = 0;
    }
}
