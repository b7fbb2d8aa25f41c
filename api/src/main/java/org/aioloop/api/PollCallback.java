package org.aioloop.api;

/**
 * A handler's cheap "is there work?" check, used while the context busy-polls (QEMU's
 * {@code io_poll}). It must not block and should not make a system call; a {@code true} result
 * makes the context call the handler's poll-ready callback instead of waiting in the kernel.
 */
@FunctionalInterface
public interface PollCallback {
    /**
     * @return whether the handler has work now
     */
    boolean poll();
}
