package org.aioloop.core.main;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.aioloop.api.AioException;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.BackendRegistry;

/**
 * The backend a main context's {@link WaitSet} waits on, following the {@link BackendRegistry} the
 * way AioContexts do: when the current backend leaves the registry (its bundle stopped), the wait
 * set moves to the best remaining one; when it left with nothing to go to, the first backend that
 * arrives takes over. Backends are compared by instance, so a backend that left and came back under
 * the same name (a restarted bundle) is a new one.
 *
 * <p>Requests come from any thread and are queued; the owner of the context serves them between
 * two iterations ({@link #runPending}), where no wait is in progress: the registrations are
 * replayed into a monitor of the new backend, which then takes over, and the old one is closed.
 * Readiness is level-triggered, so no event is lost. If opening or replaying fails, the context
 * stays where it is and the request's future says why.
 */
final class WaitSetBackend implements BackendRegistry.Listener {
    private static final System.Logger LOG = System.getLogger(WaitSetBackend.class.getName());

    private record Request(String backend, CompletableFuture<String> done) {
    }

    private final String contextName;
    private final BackendRegistry registry;
    /** Gets the request served: by the owner soon, or by the calling thread if nobody owns it. */
    private final Runnable poke;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile PollBackend current;
    private volatile CompletableFuture<String> lastFollow = CompletableFuture.completedFuture(null);
    private volatile AutoCloseable listener;
    private volatile long switches;

    /**
     * @param contextName for messages
     * @param registry    the registry to follow
     * @param current     the backend of the wait set's monitor now
     * @param poke        called after a request was queued
     */
    WaitSetBackend(String contextName, BackendRegistry registry, PollBackend current, Runnable poke) {
        this.contextName = contextName;
        this.registry = registry;
        this.current = current;
        this.poke = poke;
    }

    /** Starts following the registry. */
    void start() {
        listener = registry.addListener(this);
    }

    /** Stops following the registry; queued requests are failed by the next {@link #runPending}. */
    void stop() {
        AutoCloseable l = listener;
        listener = null;
        if (l != null) {
            try {
                l.close();
            } catch (Exception e) {
                // removing a listener from a CopyOnWriteArrayList does not fail
            }
        }
    }

    @Override
    public void removed(PollBackend backend) {
        if (backend != current) {
            return;
        }
        PollBackend best = registry.best();
        if (best == null) {
            LOG.log(System.Logger.Level.WARNING, "backend '" + backend.name() + "' left and no other is available: main context '"
                    + contextName + "' keeps its monitor until one arrives");
            return;
        }
        lastFollow = request(best.name());
    }

    @Override
    public void added(PollBackend backend) {
        PollBackend cur = current;
        if (registry.byName(cur.name()) != cur && backend.isAvailable()) {
            lastFollow = request(backend.name()); // ours left earlier with nothing to go to
        }
    }

    /**
     * Any thread: queues a switch.
     *
     * @param backend a backend name in the registry
     * @return completes with the backend's name once the wait set runs on it, or exceptionally
     *         ({@link BackendUnavailableException}, {@link ContextClosedException})
     */
    CompletableFuture<String> request(String backend) {
        CompletableFuture<String> f = new CompletableFuture<>();
        requests.add(new Request(backend, f));
        poke.run();
        return f;
    }

    /**
     * @return the switch the registry last asked for (completed if none): the host waits for it so
     *         a departing backend's monitor is closed before its bundle's classes go
     */
    CompletableFuture<String> lastFollow() {
        return lastFollow;
    }

    /** Cheap, any thread: is a switch queued? */
    boolean hasPending() {
        return !requests.isEmpty();
    }

    /** @return switches done so far */
    long switches() {
        return switches;
    }

    /**
     * Serves the queued switches. Owner of the context only, outside any iteration.
     *
     * @param waitSet the context's wait set
     * @param closed  whether the context is closed (then every request fails)
     */
    void runPending(WaitSet waitSet, boolean closed) {
        Request r;
        while ((r = requests.poll()) != null) {
            if (closed) {
                r.done.completeExceptionally(new ContextClosedException("main context '" + contextName + "'"));
                continue;
            }
            try {
                r.done.complete(switchNow(waitSet, r.backend));
            } catch (RuntimeException e) {
                r.done.completeExceptionally(e);
            }
        }
    }

    private String switchNow(WaitSet waitSet, String name) {
        PollBackend b = registry.require(name);
        if (b == current) {
            return name;
        }
        FdMonitor next;
        try {
            next = b.open();
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendUnavailableException(name, "open failed: " + e.getMessage(), e);
        }
        FdMonitor old;
        try {
            old = waitSet.replaceMonitor(next);
        } catch (RuntimeException e) {
            next.close();
            String why = e instanceof AioException ? e.getMessage() : e.toString();
            throw new BackendUnavailableException(name, "replaying the registrations failed: " + why, e);
        }
        current = b;
        switches++;
        try {
            old.close();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "main context '" + contextName + "': closing the old monitor failed", e);
        }
        LOG.log(System.Logger.Level.DEBUG, "main context '" + contextName + "' now waits on " + name);
        return name;
    }
}
