package org.aioloop.core.aio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.aioloop.api.AioException;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.core.BackendRegistry;

/**
 * Live backend switching of one context: QEMU's one-way poll→epoll upgrade generalised to any pair
 * of backends.
 *
 * <p>A switch opens a monitor on the new backend, replays every live registration into it (the
 * registrations are backend-neutral: fd, interest, token), then swaps it in and closes the old one.
 * All of that runs on the home thread <em>between two passes</em> (never inside a nested pass), so
 * no wait is in progress and no ready list refers to monitor state. Readiness is level-triggered:
 * an fd that was ready in the old monitor is reported ready again by the new one, so no event is
 * lost. If opening or replaying fails, the new monitor is closed and the context stays on the old
 * one; the request completes exceptionally saying why.
 *
 * <p>Requests from any thread are queued and the loop is kicked. The registry listener turns the
 * removal of the current backend into a request for the best remaining one, and, when it left with
 * nothing to go to, the arrival of a backend into a request for it. Backends are compared by
 * instance, not by name: a backend that left and came back under the same name (its bundle was
 * updated) is a new backend, and the context moves to a monitor of the new one.
 */
final class MonitorSwitcher implements BackendRegistry.Listener {
    /** The backend QEMU upgrades to. */
    static final String EPOLL = "epoll";
    /** The backend QEMU upgrades from. */
    static final String POLL = "poll";

    private record Request(String backend, CompletableFuture<String> done) {
    }

    private final BackendRegistry registry;
    private final Runnable kick;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile String current;
    /** The backend whose monitor the context uses (null if it was not in the registry at build). */
    private volatile PollBackend currentBackend;
    private final int upgradeThreshold;
    private boolean upgradeTried;
    long switches;

    MonitorSwitcher(BackendRegistry registry, String current, int upgradeThreshold, Runnable kick) {
        this.registry = registry;
        this.current = current;
        this.currentBackend = registry.byName(current);
        this.upgradeThreshold = upgradeThreshold;
        this.kick = kick;
    }

    String current() {
        return current;
    }

    BackendRegistry registry() {
        return registry;
    }

    /** Any thread: queue a switch and wake the loop. */
    CompletableFuture<String> request(String backend) {
        CompletableFuture<String> f = new CompletableFuture<>();
        requests.add(new Request(backend, f));
        kick.run();
        return f;
    }

    /** Cheap check, every outermost pass: is there a queued switch or a due upgrade? */
    boolean hasRequestsOrUpgrade(FdHandlerTable table) {
        return !requests.isEmpty() || (upgradeThreshold > 0 && !upgradeTried
                && table.monitoredCount() >= upgradeThreshold && POLL.equals(current));
    }

    /** Fails the queued requests (context destroyed). */
    void failPending(RuntimeException why) {
        Request r;
        while ((r = requests.poll()) != null) {
            r.done.completeExceptionally(why);
        }
    }

    @Override
    public void removed(PollBackend backend) {
        if (backend == currentBackend) {
            PollBackend best = registry.best();
            if (best != null) {
                request(best.name());
            }
        }
    }

    @Override
    public void added(PollBackend backend) {
        PollBackend cur = currentBackend;
        if (cur != null && registry.byName(cur.name()) != cur && backend.isAvailable()) {
            request(backend.name()); // ours left earlier (possibly with nothing to go to)
        }
    }

    /**
     * Serves the queued requests and the automatic upgrade. Home thread, between passes.
     */
    void runPending(FdHandlerTable table, CallbackInvoker inv) {
        Request r;
        while ((r = requests.poll()) != null) {
            try {
                switchNow(table, r.backend);
                r.done.complete(current);
            } catch (RuntimeException e) {
                r.done.completeExceptionally(e);
            }
        }
        if (upgradeThreshold > 0 && !upgradeTried && POLL.equals(current)
                && table.monitoredCount() >= upgradeThreshold) {
            // One-way and tried once, as QEMU (an epoll failure disables epoll for good).
            upgradeTried = true;
            PollBackend epoll = registry.byName(EPOLL);
            if (epoll != null && epoll.isAvailable()) {
                try {
                    switchNow(table, EPOLL);
                } catch (RuntimeException e) {
                    inv.report("poll->epoll upgrade at " + table.monitoredCount() + " fds", e);
                }
            }
        }
    }

    /**
     * Switches now. Home thread, not inside a pass.
     *
     * @throws BackendUnavailableException saying why; the context stays on its backend
     */
    void switchNow(FdHandlerTable table, String name) {
        PollBackend backend = registry.require(name);
        // by instance: the same name may be a new backend (a bundle that left and came back)
        if (backend == currentBackend && table.monitor() != null) {
            return;
        }
        FdMonitor next;
        try {
            next = backend.open();
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendUnavailableException(name, "open failed: " + e.getMessage(), e);
        }
        try {
            table.replayInto(next);
        } catch (RuntimeException e) {
            next.close();
            String why = e instanceof AioException ? e.getMessage() : e.toString();
            throw new BackendUnavailableException(name, "replaying the registrations failed: " + why, e);
        }
        FdMonitor old = table.swapMonitor(next);
        currentBackend = backend;
        current = name;
        switches++;
        if (old != null) {
            old.close();
        }
    }
}
