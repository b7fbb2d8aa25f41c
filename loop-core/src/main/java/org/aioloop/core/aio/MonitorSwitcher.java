package org.aioloop.core.aio;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.aioloop.api.AioException;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.FdRegistrationException;
import org.aioloop.api.InvalidFdException;
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
 * no wait is in progress and no ready list refers to monitor state. Readiness is level-triggered
 * (for every fd but the context's own eventfd, whose wakeups are carried by {@code notified}): an
 * fd that was ready in the old monitor is reported ready again by the new one, so no event is
 * lost. If opening or replaying fails, the new monitor is closed and the context stays on the old
 * one; the request completes exceptionally saying why.
 *
 * <p><b>Background fill.</b> With {@value #BACKGROUND_FILL_MIN_FDS} or more monitored fds, replaying
 * one {@code epoll_ctl} per fd on the home thread would pause the loop for milliseconds (13–22 ms at
 * 10 000 fds). A queued request (or an upgrade that large) then copies the interest-by-fd array
 * between two passes and has the {@link SwitchWorker} open the new monitor and add the copy, while
 * the loop keeps running on the old monitor; the table tracks every fd whose monitor state changes
 * meanwhile. When the filling thread
 * completes its future (the happens-before edge that hands the monitor to the home thread) and kicks
 * the loop, the home thread, again between two passes, re-applies only the tracked fds (remove +
 * add), swaps, and hands the old monitor to the worker to close. The new monitor has no waiter until the swap, so being
 * filled by one other thread does not break its thread confinement. Level-triggered readiness
 * again means an fd that became ready during the fill is reported by the new monitor.
 *
 * <p>Requests from any thread are queued and the loop is kicked. The registry listener turns the
 * removal of the current backend into a request for the best remaining one, and, when it left with
 * nothing to go to, the arrival of a backend into a request for it. Backends are compared by
 * instance, not by name: a backend that left and came back under the same name (its bundle was
 * updated) is a new backend, and the context moves to a monitor of the new one. Any explicit
 * request turns QEMU's automatic poll→epoll upgrade off: the operator's choice wins.
 */
final class MonitorSwitcher implements BackendRegistry.Listener {
    /** The backend QEMU upgrades to. */
    static final String EPOLL = "epoll";
    /** The backend QEMU upgrades from. */
    static final String POLL = "poll";

    /**
     * Below this many monitored fds a switch replays on the home thread: a thread hop costs more
     * than a few hundred {@code epoll_ctl} calls.
     */
    static final int BACKGROUND_FILL_MIN_FDS = 256;

    /** {@link #BACKGROUND_FILL_MIN_FDS}, changeable by tests (to time the synchronous path). */
    volatile int backgroundFillMinFds = BACKGROUND_FILL_MIN_FDS;
    /** Tests: run by the filling thread after opening the new monitor, before adding to it. */
    volatile Runnable fillStartedHook;

    private record Request(String backend, CompletableFuture<String> done) {
    }

    /** A new monitor being filled on another thread; its result is consumed on the home thread. */
    private record Fill(PollBackend backend, String name, CompletableFuture<String> done,
            CompletableFuture<FilledMonitor> monitor) {
    }

    /** What the filling thread hands back: the monitor and the fds it refused (closed meanwhile?). */
    private record FilledMonitor(FdMonitor monitor, int[] failed, int failedCount) {
    }

    static {
        // Load the background-fill classes with this one: loading them the first time a context
        // switches would cost the loop milliseconds between two passes.
        Class<?>[] used = {Fill.class, FilledMonitor.class, FillJob.class, CloseJob.class,
            java.util.concurrent.CompletionException.class};
        assert used.length > 0;
    }

    private final BackendRegistry registry;
    private final Runnable kick;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile String current;
    /** The backend whose monitor the context uses (null if it was not in the registry at build). */
    private volatile PollBackend currentBackend;
    private final int upgradeThreshold;
    private boolean upgradeTried;
    /** The automatic upgrade's own future while it fills off the loop (its failure is reported). */
    private CompletableFuture<String> upgradeDone;
    /** The switch whose monitor is being filled off the loop, or null. Home thread. */
    private volatile Fill fill;
    long switches;
    /** The longest the home thread spent in one {@link #runPending} (read racily by stats). */
    long maxStallNanos;

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

    /** @return whether a switch's new monitor is being filled off the loop */
    boolean filling() {
        return fill != null;
    }

    /** Any thread: queue a switch and wake the loop. */
    CompletableFuture<String> request(String backend) {
        SwitchWorker.prestart(); // its thread start is the requester's time, not the loop's
        CompletableFuture<String> f = new CompletableFuture<>();
        requests.add(new Request(backend, f));
        kick.run();
        return f;
    }

    /** Cheap check, every outermost pass: is there a queued switch or a due upgrade? */
    boolean hasRequestsOrUpgrade(FdHandlerTable table) {
        Fill f = fill;
        if (f != null) {
            return f.monitor.isDone();
        }
        return !requests.isEmpty() || (upgradeThreshold > 0 && !upgradeTried
                && table.monitoredCount() >= upgradeThreshold && POLL.equals(current));
    }

    /** Fails the queued requests (context destroyed). */
    void failPending(RuntimeException why, FdHandlerTable table) {
        Fill f = fill;
        if (f != null) {
            fill = null;
            table.abandonFill();
            // the filling thread may still be adding: close the new monitor once it hands it back
            f.monitor.whenComplete((m, e) -> {
                if (m != null) {
                    m.monitor.close();
                }
            });
            f.done.completeExceptionally(why);
        }
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
        long t0 = System.nanoTime();
        try {
            servePending(table, inv);
        } finally {
            long stall = System.nanoTime() - t0;
            if (stall > maxStallNanos) {
                maxStallNanos = stall;
            }
        }
    }

    private void servePending(FdHandlerTable table, CallbackInvoker inv) {
        Fill f = fill;
        if (f != null) {
            if (!f.monitor.isDone()) {
                return; // the loop goes on with the old monitor meanwhile
            }
            fill = null;
            try {
                finishFill(table, f);
                f.done.complete(current);
            } catch (RuntimeException e) {
                if (f.done == upgradeDone) {
                    inv.report("poll->epoll upgrade at " + table.monitoredCount() + " fds", e);
                }
                f.done.completeExceptionally(e);
            }
        }
        Request r;
        while ((r = requests.poll()) != null) {
            // An explicit choice (an operator's, or following the registry) replaces QEMU's automatic
            // upgrade: a context asked to run on poll must not move itself back to epoll.
            upgradeTried = true;
            try {
                if (table.monitoredCount() >= backgroundFillMinFds && startFill(table, r)) {
                    return; // the rest waits until this one is done
                }
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
                    // Usually reached at 64 fds, but registrations made in bulk before the first pass
                    // can bring thousands: then fill off the loop too.
                    if (table.monitoredCount() >= backgroundFillMinFds) {
                        upgradeDone = new CompletableFuture<>();
                        if (startFill(table, new Request(EPOLL, upgradeDone))) {
                            return;
                        }
                    }
                    switchNow(table, EPOLL);
                } catch (RuntimeException e) {
                    inv.report("poll->epoll upgrade at " + table.monitoredCount() + " fds", e);
                }
            }
        }
    }

    /**
     * Starts filling a monitor of the requested backend on another thread from a snapshot of the
     * registrations; the loop keeps running on the old monitor meanwhile. Home thread, between passes.
     *
     * @return false if there is nothing to switch (already on that backend instance); the request
     *         is then not completed
     * @throws BackendUnavailableException if the backend is not in the registry
     */
    private boolean startFill(FdHandlerTable table, Request r) {
        PollBackend backend = registry.require(r.backend);
        if (backend == currentBackend && table.monitor() != null) {
            return false;
        }
        int[] interestByFd = table.beginFill();
        String name = r.backend;
        // The new monitor is confined to the filling thread until it completes the future, and to
        // the home thread after it consumed it: the future's completion is the happens-before edge.
        CompletableFuture<FilledMonitor> filled = new CompletableFuture<>();
        fill = new Fill(backend, name, r.done, filled);
        Runnable hook = fillStartedHook;
        if (!SwitchWorker.execute(new FillJob(backend, name, interestByFd, hook, filled, kick))) {
            fill = null;
            table.abandonFill();
            throw new BackendUnavailableException(name, "no thread to fill the new monitor on");
        }
        return true;
    }

    // Named classes rather than lambdas: linking a lambda the first time costs milliseconds, and
    // these are created on the home thread between two passes.

    /** Fills a new monitor from a snapshot, completes the future, kicks the loop. */
    private static final class FillJob implements Runnable {
        private final PollBackend backend;
        private final String backendName;
        private final int[] interestByFd;
        private final Runnable hook;
        private final CompletableFuture<FilledMonitor> filled;
        private final Runnable kick;

        FillJob(PollBackend backend, String name, int[] interestByFd, Runnable hook,
                CompletableFuture<FilledMonitor> filled, Runnable kick) {
            this.backend = backend;
            this.backendName = name;
            this.interestByFd = interestByFd;
            this.hook = hook;
            this.filled = filled;
            this.kick = kick;
        }

        @Override
        public void run() {
            try {
                filled.complete(fillMonitor(backend, backendName, interestByFd, hook));
            } catch (Throwable e) {
                filled.completeExceptionally(e);
            } finally {
                kick.run(); // the loop finishes the switch between its next two passes
            }
        }
    }

    /** Closes a monitor nobody uses any more. */
    private static final class CloseJob implements Runnable {
        private final FdMonitor monitor;

        CloseJob(FdMonitor monitor) {
            this.monitor = monitor;
        }

        @Override
        public void run() {
            monitor.close();
        }
    }

    /** The filling thread: opens the monitor and adds the snapshot; fds it refuses are handed back. */
    private static FilledMonitor fillMonitor(PollBackend backend, String name, int[] interestByFd,
            Runnable hook) {
        FdMonitor next;
        try {
            next = backend.open();
        } catch (BackendUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BackendUnavailableException(name, "open failed: " + e.getMessage(), e);
        }
        int[] failed = new int[8];
        int failedCount = 0;
        try {
            if (hook != null) {
                hook.run();
            }
            for (int fd = 0; fd < interestByFd.length; fd++) {
                if (interestByFd[fd] == 0) {
                    continue;
                }
                try {
                    next.add(fd, interestByFd[fd], fd);
                } catch (InvalidFdException e) {
                    if (e instanceof FdRegistrationException) {
                        throw e; // not about the fd being closed: fails the switch, as a replay would
                    }
                    // Possibly removed and closed by the loop meanwhile; the home thread decides.
                    if (failedCount == failed.length) {
                        failed = java.util.Arrays.copyOf(failed, failedCount * 2);
                    }
                    failed[failedCount++] = fd;
                }
            }
        } catch (RuntimeException | Error e) {
            next.close();
            throw e;
        }
        return new FilledMonitor(next, failed, failedCount);
    }

    /** Home thread, between passes: applies what changed during the fill, swaps, closes the old monitor. */
    private void finishFill(FdHandlerTable table, Fill f) {
        FilledMonitor m;
        try {
            m = f.monitor.join();
        } catch (java.util.concurrent.CompletionException e) {
            table.abandonFill();
            Throwable c = e.getCause();
            if (c instanceof BackendUnavailableException b) {
                throw b;
            }
            String why = c instanceof AioException ? c.getMessage() : String.valueOf(c);
            throw new BackendUnavailableException(f.name, "replaying the registrations failed: " + why, c);
        }
        FdMonitor old;
        try {
            old = table.finishFill(m.monitor, m.failed, m.failedCount);
        } catch (RuntimeException e) {
            m.monitor.close();
            String why = e instanceof AioException ? e.getMessage() : e.toString();
            throw new BackendUnavailableException(f.name, "replaying the registrations failed: " + why, e);
        }
        currentBackend = f.backend;
        current = f.name;
        switches++;
        if (old != null) {
            closeOffLoop(old);
        }
    }

    /**
     * Closes a monitor nobody uses any more on the switch worker: closing an epoll fd makes the
     * kernel unlink every registration (about 3 ms at 4 000 fds), which would be a pause again. The
     * hand-over is the happens-before edge; if the worker cannot take it, closes here.
     */
    private static void closeOffLoop(FdMonitor old) {
        if (!SwitchWorker.execute(new CloseJob(old))) {
            old.close();
        }
    }

    /**
     * An explicit switch now (see {@link #switchNow}); it also turns the automatic upgrade off, as
     * a queued request does. Home thread, not inside a pass.
     */
    void switchExplicitly(FdHandlerTable table, String name) {
        upgradeTried = true;
        switchNow(table, name);
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
