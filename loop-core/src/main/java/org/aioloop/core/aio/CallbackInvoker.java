package org.aioloop.core.aio;

import java.util.Objects;
import org.aioloop.api.CallbackErrorHandler;
import org.aioloop.api.FdCallback;
import org.aioloop.api.IoEvents;

/**
 * Calls user callbacks on the home thread: catches and counts what they throw, reports it to the
 * {@link CallbackErrorHandler} (so the loop keeps running and nothing registered is lost), and keeps
 * the per-callback counters of {@code stats()}. The "what" string naming the callback is built only
 * when something fails: no allocation per call.
 *
 * <p>Time is measured per pass, not per callback: two clock reads around an outermost pass's
 * dispatch phase, the first one taken when its first callback starts ({@link #beginPass()},
 * {@link #endPass()}), so a pass that runs no callback reads no clock. Reading the clock around every
 * callback cost 11 % of all CPU time in a 1,000-fd dispatch benchmark (perf: {@code
 * __vdso_clock_gettime}), more than any other user-space function. Hosted devices still get
 * per-callback times from the host's own wrappers, which is where "which callback was slow" is
 * asked.
 */
final class CallbackInvoker implements BottomHalfList.Runner, TimerList.Runner {
    private static final System.Logger LOG = System.getLogger("org.aioloop.core.aio");

    /** The default handler: a warning on {@link System.Logger}. */
    static final CallbackErrorHandler LOGGING = (ctx, what, error) ->
            LOG.log(System.Logger.Level.WARNING, "context '" + ctx + "': " + what + " threw", error);

    private final String context;
    private volatile CallbackErrorHandler errorHandler = LOGGING;

    // Written by the home thread only; read (racily, for stats) by any.
    long fdDispatches;
    long bottomHalfRuns;
    long timerRuns;
    long callbackErrors;
    long maxDispatchNanos;
    long dispatchNanos;
    /** When the current outermost pass ran its first callback. */
    private long passStart;
    /** Whether {@link #passStart} was read in the current outermost pass. */
    private boolean passClockRunning;

    CallbackInvoker(String context) {
        this.context = context;
    }

    void setErrorHandler(CallbackErrorHandler handler) {
        errorHandler = Objects.requireNonNull(handler, "handler");
    }

    /**
     * An outermost pass starts dispatching (after its wait: waiting is not dispatch time). Nested
     * passes are not timed: they are part of the callback that ran them.
     */
    void beginPass() {
        passClockRunning = false;
    }

    /** Before each callback: the first one of a pass starts the pass's clock. */
    private void startClock() {
        if (!passClockRunning) {
            passClockRunning = true;
            passStart = System.nanoTime();
        }
    }

    /** The outermost pass that called {@link #beginPass()} finished dispatching. */
    void endPass() {
        if (passClockRunning) {
            passClockRunning = false;
            long d = System.nanoTime() - passStart;
            dispatchNanos += d;
            if (d > maxDispatchNanos) {
                maxDispatchNanos = d;
            }
        }
    }

    @Override
    public void run(BottomHalfImpl bh) {
        startClock();
        try {
            bh.callback.run();
        } catch (Throwable e) {
            failed("bh '" + bh.name() + "'", e);
        } finally {
            bottomHalfRuns++;
        }
    }

    @Override
    public void run(TimerImpl t) {
        startClock();
        try {
            t.callback.run();
        } catch (Throwable e) {
            failed("timer '" + t.name() + "' (" + t.clock() + ")", e);
        } finally {
            timerRuns++;
        }
    }

    /** One fd callback; {@code kind} is "read", "write" or "poll-ready" (named only on failure). */
    void runFd(FdHandler h, FdCallback cb, int revents, String kind) {
        startClock();
        try {
            cb.onReady(h.fd, revents);
        } catch (Throwable e) {
            failed(describe(h, kind, revents), e);
        } finally {
            if (!h.isNotifier) {
                fdDispatches++;
            }
        }
    }

    /** A handler's busy-poll check; a throwing check counts as "no work". */
    boolean runPoll(FdHandler h) {
        try {
            return h.poll.poll();
        } catch (Throwable e) {
            failed(describe(h, "poll", 0), e);
            return false;
        }
    }

    private static String describe(FdHandler h, String kind, int revents) {
        return "fd " + h.fd + " " + kind + (revents != 0 ? " [" + IoEvents.describe(revents) + "]" : "")
                + (h.owner != null ? " of '" + h.owner + "'" : "");
    }

    /** Reports a failure that is not a callback's (a registration the monitor rejected later). */
    void report(String what, Throwable e) {
        failed(what, e);
    }

    private void failed(String what, Throwable e) {
        if (e instanceof VirtualMachineError) {
            throw (VirtualMachineError) e;
        }
        callbackErrors++;
        try {
            errorHandler.onError(context, what, e);
        } catch (Throwable reporterFailed) {
            if (reporterFailed instanceof VirtualMachineError) {
                throw (VirtualMachineError) reporterFailed;
            }
            // A broken error handler must not stop the loop either.
        }
    }
}
