package org.aioloop.core.aio;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.LongAdder;
import org.aioloop.api.EventNotifier;

/**
 * The wakeup handshake of one context (QEMU's {@code notify_me} / {@code notified} /
 * {@code aio_notify} / {@code aio_notify_accept}).
 *
 * <p>{@code notifyMe}: bit 0 is set by the GSource-style prepare and cleared by check; every
 * {@code poll} that may block adds 2 before its wait and subtracts 2 after it. Only the home thread
 * writes it (plain read, then a volatile write: no read-modify-write is needed because only one
 * thread writes); any thread reads it.
 *
 * <p>Why no wakeup is lost (a Dekker handshake; both sides use volatile accesses, which are
 * sequentially consistent in the JMM, and an explicit {@link VarHandle#fullFence()} to make the
 * intent visible):
 * <pre>
 *   waiter (home thread)                      kicker (any thread)
 *   notifyMe += 2                             publish work (BH flags, timer heap, handler table)
 *   fullFence                                 notified = true
 *   if (notified) timeout = 0                 fullFence
 *   wait(timeout) on the monitor              if (notifyMe != 0) notifier.set()
 * </pre>
 * At least one side sees the other's write: either the waiter sees {@code notified} (or the work,
 * which it recomputed before) and does not block, or the kicker sees {@code notifyMe != 0} and
 * writes the eventfd that the waiter's monitor watches. Never "check, then publish".
 *
 * <p>The eventfd is written only when somebody may be asleep ({@code notifyMe != 0}), and only by
 * the first kick since the last accept (see {@link #kick()}); with {@code notifyMe == 0} everything
 * is re-evaluated before the next blocking wait anyway. On epoll it is watched edge-triggered and
 * never read; elsewhere the notifier's own handler drains it when it is readable (see
 * {@code AioContextImpl}'s constructor). {@code notified} is cleared by {@link #accept()} after the
 * wait and before dispatch, so a kick that arrives during dispatch makes the next wait
 * non-blocking.
 */
final class NotifyState {
    private final EventNotifier notifier;
    private volatile int notifyMe;
    private volatile boolean notified;
    private final LongAdder kicks = new LongAdder();
    private final LongAdder wakeupWrites = new LongAdder();

    NotifyState(EventNotifier notifier) {
        this.notifier = notifier;
    }

    EventNotifier notifier() {
        return notifier;
    }

    /** QEMU's {@code aio_notify}, plus one shortcut. Any thread. */
    void kick() {
        kicks.increment();
        /*
         * Unlike QEMU: if `notified` is already set, return. The kick that set it (since the last
         * accept) has made sure of the wakeup: it either saw notifyMe != 0 and writes the eventfd,
         * or saw 0, and then the waiter's beginWait (fence, then read `notified`, still true since
         * no accept ran) will not block. Work published before this read of `notified` is seen by
         * the dispatch that follows the accept that clears it (volatile accesses are totally
         * ordered). Without this, a storm of kicks against a loop that sleeps wrote the eventfd
         * once per kick (JMH KickBenchmark on epoll: 367 ns a kick instead of 26); Netty's
         * wakeup() has the same one-writer-per-sleep rule.
         */
        if (notified) {
            return;
        }
        notified = true;
        VarHandle.fullFence();
        if (notifyMe != 0) {
            wakeupWrites.increment();
            if (!notifier.isClosed()) {
                try {
                    notifier.set();
                } catch (RuntimeException closedMeanwhile) {
                    // The context was destroyed concurrently: nobody is left to wake.
                }
            }
        }
    }

    /**
     * Before a wait that may block: publish "I may sleep", then re-check {@code notified}.
     *
     * @return whether a kick already arrived, so the wait must not block
     */
    boolean beginWait() {
        notifyMe = notifyMe + 2;
        VarHandle.fullFence();
        return notified;
    }

    /** After that wait (a release store is enough: nothing after it needs ordering against kicks). */
    void endWait() {
        notifyMe = notifyMe - 2;
    }

    /** GSource prepare: set bit 0, then full fence; returns whether a kick is already pending. */
    boolean beginSourceWait() {
        notifyMe = notifyMe | 1;
        VarHandle.fullFence();
        return notified;
    }

    /** GSource check: clear bit 0. */
    void endSourceWait() {
        notifyMe = notifyMe & ~1;
    }

    /** QEMU's {@code aio_notify_accept}: clear {@code notified}, then full fence, before dispatch. */
    void accept() {
        notified = false;
        VarHandle.fullFence();
    }

    /** The notifier's poll callback (QEMU's {@code aio_context_notifier_poll}): no system call. */
    boolean isNotified() {
        return notified;
    }

    int notifyMe() {
        return notifyMe;
    }

    long kicks() {
        return kicks.sum();
    }

    long wakeupWrites() {
        return wakeupWrites.sum();
    }
}
