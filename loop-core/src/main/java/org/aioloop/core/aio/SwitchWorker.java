package org.aioloop.core.aio;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.aioloop.posix.ThreadNice;

/**
 * The one helper thread, shared by every context of the process, that fills new monitors and
 * closes old ones for live backend switches, so that the loop only hands it work.
 *
 * <p>Why one long-lived thread rather than a thread per job: {@code Thread.start()} waits until the
 * new thread has run its first steps, and on a machine whose cores are busy (the loop and its
 * clients) that took up to 5 ms of the loop's time per switch in S6. Handing a job to a running
 * thread is a queue offer and an unpark. The thread is started by whoever <em>requests</em> a
 * switch ({@link #prestart()}, called from {@code switchBackend}'s thread, not the loop's), exits
 * after {@link #KEEP_ALIVE_SECONDS} idle (so an updated bundle's class loader is not pinned), and
 * runs at nice 19: the kernel work it does (10,000 {@code epoll_ctl} calls, or unlinking them all
 * when an epoll fd closes, about 10 ms each) yields the core to a woken loop almost at once, yet
 * it still progresses on a machine whose every core is busy ({@code SCHED_IDLE} was tried: a test
 * whose loop spun on {@code poll(false)} starved it).
 */
final class SwitchWorker {
    /** Idle time after which the thread exits; the next request starts a new one. */
    static final long KEEP_ALIVE_SECONDS = 10;
    /** The thread's name. */
    static final String THREAD_NAME = "aioloop-switch-worker";

    private static final ThreadPoolExecutor EXECUTOR = newExecutor();

    private SwitchWorker() {
    }

    private static ThreadPoolExecutor newExecutor() {
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                lowerPriority();
                r.run();
            }, THREAD_NAME);
            t.setDaemon(true);
            return t;
        };
        ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, KEEP_ALIVE_SECONDS, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory);
        e.allowCoreThreadTimeOut(true);
        return e;
    }

    /** Best effort: a failure changes nothing but how fast a switch completes under load. */
    private static void lowerPriority() {
        try {
            ThreadNice.setCurrentThread(ThreadNice.LOWEST);
        } catch (RuntimeException | LinkageError e) {
            // not on Linux, or refused: run at the normal priority
        }
    }

    /** Starts the thread if it is not running, on the calling thread's time. Any thread. */
    static void prestart() {
        EXECUTOR.prestartCoreThread();
    }

    /**
     * Queues a job (starting the thread if it had exited, on the caller's time).
     *
     * @param job the work
     * @return false if the job could not be handed over (no thread could be started); the caller
     *         then does the work itself
     */
    static boolean execute(Runnable job) {
        try {
            EXECUTOR.execute(job);
            return true;
        } catch (RejectedExecutionException | OutOfMemoryError e) {
            return false;
        }
    }
}
