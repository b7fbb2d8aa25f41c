package org.aioloop.core.main;

import java.util.Arrays;
import java.util.Objects;

import org.aioloop.api.AioContext;
import org.aioloop.api.CallbackErrorHandler;
import org.aioloop.api.ClockType;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.MainContext;
import org.aioloop.api.PollNotifier;
import org.aioloop.api.PollPhase;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.Timer;
import org.aioloop.api.WrongThreadException;
import org.aioloop.core.MainLoops;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.core.aio.Timeouts;
import org.aioloop.core.aio.TimerImpl;
import org.aioloop.core.aio.TimerList;
import org.aioloop.core.aio.TimerListGroup;

/**
 * QEMU's main loop ({@code util/main-loop.c}): a {@link MainContextImpl} with the main AioContext
 * ({@code qemu_aio_context}, named {@value AioContext#MAIN}) and the iohandler context
 * ({@code iohandler_ctx}, named {@value AioContext#IOHANDLER}) attached as sources, the poll
 * notifiers, and the main-loop timers.
 *
 * <p>{@link #mainLoopWait(boolean)} is the seed's {@code main_loop_wait}: notifiers FILL (they add
 * fds and lower the timeout) → the timeout becomes the soonest of theirs and the main-loop timers'
 * deadline → {@code os_host_main_loop_wait}: prepare and query the sources (their timeout joins
 * the minimum), one wait on the union of the notifiers' and the sources' fds, the notifiers'
 * results copied out, check and dispatch → notifiers OK or ERR → the main-loop timers run.
 *
 * <p>The two AioContexts are separate on purpose (QEMU: "iohandlers mustn't be polled by
 * aio_poll(qemu_aio_context)"): a nested {@code poll} of the main context, e.g. a synchronous wait
 * inside a bottom half, never runs an iohandler callback; those only run when this loop dispatches
 * the iohandler source.
 *
 * <p>Loop thread only, except {@link #quit()}, {@link #addPollNotifier}, {@link #removePollNotifier}
 * and timer arming, which are safe from any thread.
 */
public final class MainLoopImpl implements MainLoops.Loop {
    private static final System.Logger LOG = System.getLogger(MainLoopImpl.class.getName());
    private static final PollNotifier[] NO_NOTIFIERS = new PollNotifier[0];

    private final MainContextImpl mainContext;
    private final AioContextImpl aio;
    private final AioContextImpl iohandler;
    private final SourceHandle aioSource;
    private final SourceHandle iohandlerSource;
    private final TimerListGroup timers;
    private final PollSetImpl pollSet = new PollSetImpl();
    private final Hook hook = new Hook();
    private final TimerList.Runner timerRunner = this::runTimer;
    private final Object notifierLock = new Object();
    private volatile PollNotifier[] notifiers = NO_NOTIFIERS;
    private volatile CallbackErrorHandler errorHandler = MainLoopImpl::logError;
    private volatile boolean running;
    private volatile boolean closed;

    /** Shares the main context's wait with the poll notifiers (the seed's gpollfds). */
    private final class Hook implements WaitHook {
        long loopTimeout;
        int result;

        @Override
        public long fill(WaitSet waitSet, long sourcesTimeout) {
            pollSet.addTo(waitSet);
            return Timeouts.soonest(sourcesTimeout, loopTimeout);
        }

        @Override
        public void waited(WaitSet waitSet, int r) {
            result = r;
            pollSet.collect(waitSet, r < 0);
        }
    }

    /**
     * Attaches both AioContexts to the main context (QEMU's {@code qemu_init_main_loop}). The loop
     * owns all three from now on and closes them in {@link #close()}.
     *
     * @param mainContext the GLib-style context the loop iterates
     * @param aio         the main AioContext (named {@value AioContext#MAIN})
     * @param iohandler   the iohandler context (named {@value AioContext#IOHANDLER})
     */
    public MainLoopImpl(MainContextImpl mainContext, AioContextImpl aio, AioContextImpl iohandler) {
        this.mainContext = Objects.requireNonNull(mainContext, "mainContext");
        this.aio = Objects.requireNonNull(aio, "aio");
        this.iohandler = Objects.requireNonNull(iohandler, "iohandler");
        this.timers = new TimerListGroup(aio.clocks(), mainContext::wakeup, "main-loop timer");
        this.aioSource = mainContext.attach(new AioContextSource(aio), "aio-context", MainContext.PRIORITY_DEFAULT);
        aioSource.setCanRecurse(true);
        this.iohandlerSource = mainContext.attach(new AioContextSource(iohandler), "io-handler",
                MainContext.PRIORITY_DEFAULT);
        iohandlerSource.setCanRecurse(true);
    }

    @Override
    public MainContext mainContext() {
        return mainContext;
    }

    @Override
    public AioContext aioContext() {
        return aio;
    }

    @Override
    public AioContext iohandlerContext() {
        return iohandler;
    }

    /**
     * @param handler told when a poll notifier or a main-loop timer throws
     */
    public void setErrorHandler(CallbackErrorHandler handler) {
        this.errorHandler = Objects.requireNonNull(handler, "handler");
        mainContext.setErrorHandler(handler);
        aio.setErrorHandler(handler);
        iohandler.setErrorHandler(handler);
    }

    @Override
    public boolean mainLoopWait(boolean nonblocking) {
        if (closed) {
            throw new ContextClosedException("main loop");
        }
        // QEMU sets the main thread's current context once in qemu_init_main_loop; here the thread
        // that iterates the loop is the main thread (no allocation once set).
        CurrentContext.set(aio);
        pollSet.reset(nonblocking ? 0 : -1);
        notify(PollPhase.FILL);
        long timeout = Timeouts.soonest(pollSet.timeoutNanos(), timers.deadlineNs());
        hook.loopTimeout = timeout;
        hook.result = 0;
        boolean dispatched = mainContext.iterate(timeout != 0, hook);
        PollPhase after = hook.result < 0 ? PollPhase.ERR : PollPhase.OK;
        pollSet.setPhase(after);
        notify(after);
        boolean ran = timers.run(timerRunner);
        return dispatched || ran;
    }

    private void notify(PollPhase phase) {
        for (PollNotifier n : notifiers) {
            try {
                n.onPoll(phase, pollSet);
            } catch (Throwable e) {
                report("poll notifier " + n + " " + phase, e);
            }
        }
    }

    @Override
    public void run() {
        if (!mainContext.acquireForLoop()) {
            throw new WrongThreadException("run", "main loop", mainContext.owner());
        }
        try {
            running = true;
            while (running) {
                mainLoopWait(false);
            }
        } finally {
            running = false;
            mainContext.release();
        }
    }

    @Override
    public void quit() {
        running = false;
        mainContext.wakeup();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public void addPollNotifier(PollNotifier notifier) {
        Objects.requireNonNull(notifier, "notifier");
        synchronized (notifierLock) {
            PollNotifier[] cur = notifiers;
            PollNotifier[] next = Arrays.copyOf(cur, cur.length + 1);
            next[cur.length] = notifier;
            notifiers = next;
        }
        mainContext.wakeupIfForeign();
    }

    @Override
    public boolean removePollNotifier(PollNotifier notifier) {
        synchronized (notifierLock) {
            PollNotifier[] cur = notifiers;
            for (int i = 0; i < cur.length; i++) {
                if (cur[i] == notifier) {
                    PollNotifier[] next = new PollNotifier[cur.length - 1];
                    System.arraycopy(cur, 0, next, 0, i);
                    System.arraycopy(cur, i + 1, next, i, cur.length - i - 1);
                    notifiers = next;
                    return true;
                }
            }
            return false;
        }
    }

    @Override
    public Timer newTimer(ClockType clock, String name, Runnable callback) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(callback, "callback");
        if (closed) {
            throw new ContextClosedException("main loop");
        }
        return timers.newTimer(clock, name, callback);
    }

    /**
     * @return the main context's implementation (steps and counters)
     */
    public MainContextImpl mainContextImpl() {
        return mainContext;
    }

    /** Runs one main-loop timer; what it throws is reported and the other timers still run. */
    private void runTimer(TimerImpl t) {
        try {
            t.runCallback();
        } catch (Throwable e) {
            report(t.toString(), e);
        }
    }

    private void report(String what, Throwable e) {
        try {
            errorHandler.onError("main loop", what, e);
        } catch (Throwable t) {
            logError("main loop", what, e);
        }
    }

    private static void logError(String context, String what, Throwable e) {
        LOG.log(System.Logger.Level.ERROR, context + ": " + what + " failed", e);
    }

    /**
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Stops the loop and releases everything: the main-loop timers, both AioContexts (their
     * handlers, bottom halves, timers, pools, notifiers and monitors) and the main context. Call it
     * from the loop's thread after {@link #run()} returned, or when nobody iterates. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        timers.closeAll();
        aioSource.destroy();
        iohandlerSource.destroy();
        aio.close();
        iohandler.close();
        mainContext.close();
        if (CurrentContext.get() == aio) {
            CurrentContext.set(null);
        }
    }

    @Override
    public String toString() {
        return "MainLoop[" + aio.name() + " on " + aio.backendName() + ", " + iohandler.name() + " on "
                + iohandler.backendName() + ", main context on " + mainContext.backendName() + "]";
    }
}
