package org.aioloop.core.aio;

/**
 * Receives one monitored fd and its interest mask (used by a parent loop that mirrors a context's
 * fds when the backend has no single pollable fd).
 */
@FunctionalInterface
public interface FdVisitor {
    /**
     * @param fd     the fd
     * @param events its interest mask ({@link org.aioloop.api.IoEvents})
     */
    void visit(int fd, int events);
}
