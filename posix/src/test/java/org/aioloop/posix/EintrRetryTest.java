package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The wait wrappers retry EINTR with the remaining time. A thread blocks in the wrapper while the
 * test keeps sending it SIGWINCH (tgkill) with a handler installed, so the wait is interrupted; the
 * wrapper must neither fail nor return early, and its retry counter must show the interruptions.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EintrRetryTest {
    private static final int SIGWINCH = 28;
    private static final long TIMEOUT = TimeUnit.MILLISECONDS.toNanos(150);
    private Object previous;

    /**
     * A Java handler ({@code sun.misc.Signal}, through reflection to keep javac quiet about the
     * internal API) makes the JVM install a native one: the signal then interrupts the syscall.
     */
    @BeforeAll
    void installHandler() throws Exception {
        Object ignore = Proxy.newProxyInstance(handlerType().getClassLoader(), new Class<?>[] {handlerType()},
                (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "hashCode":
                            return System.identityHashCode(proxy);
                        case "equals":
                            return proxy == args[0];
                        case "toString":
                            return "ignore SIGWINCH";
                        default:
                            return null;
                    }
                });
        previous = handle(ignore);
    }

    @AfterAll
    void restoreHandler() throws Exception {
        handle(previous);
    }

    private static Class<?> handlerType() throws ClassNotFoundException {
        return Class.forName("sun.misc.SignalHandler");
    }

    private static Object handle(Object handler) throws Exception {
        Class<?> signalType = Class.forName("sun.misc.Signal");
        Object winch = signalType.getConstructor(String.class).newInstance("WINCH");
        return signalType.getMethod("handle", signalType, handlerType()).invoke(null, winch, handler);
    }

    private interface Wait {
        int call();
    }

    private void interruptedWaitStillLastsItsTimeout(Wait wait) throws Exception {
        long retriesBefore = Posix.eintrRetries();
        AtomicInteger tid = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            tid.set(Posix.gettid());
            started.countDown();
            long t0 = System.nanoTime();
            try {
                int n = wait.call();
                outcome.set(new long[] {n, System.nanoTime() - t0});
            } catch (RuntimeException e) {
                outcome.set(e);
            }
        }, "eintr-waiter");
        waiter.start();
        assertTrue(started.await(10, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (waiter.isAlive() && System.nanoTime() < deadline) {
            Posix.tgkill(tid.get(), SIGWINCH);
            LockSupport.parkNanos(2_000_000L); // pacing between signals, not synchronisation
        }
        waiter.join(10_000);
        Object r = outcome.get();
        if (r instanceof RuntimeException) {
            throw new AssertionError("the wait failed instead of retrying", (RuntimeException) r);
        }
        long[] result = (long[]) r;
        assertEquals(0, result[0], "nothing is ready");
        assertTrue(result[1] >= TIMEOUT, "returned after " + result[1] + " ns, before its timeout");
        assertTrue(Posix.eintrRetries() > retriesBefore, "no EINTR happened: the test did not interrupt the wait");
    }

    @Test
    void ppollRetries() throws Exception {
        interruptedWaitStillLastsItsTimeout(() -> {
            try (Timespec ts = new Timespec()) {
                return Posix.ppoll(0, 0, TIMEOUT, ts);
            }
        });
    }

    @Test
    void epollWaitRetries() throws Exception {
        interruptedWaitStillLastsItsTimeout(() -> {
            int epfd = Posix.epollCreate1(Posix.EPOLL_CLOEXEC);
            try (NativeBuffer ev = NativeBuffer.allocate(64)) {
                return Posix.epollWait(epfd, ev.address(), 4, (int) TimeUnit.NANOSECONDS.toMillis(TIMEOUT));
            } finally {
                Posix.close(epfd);
            }
        });
    }

    @Test
    void epollPwait2Retries() throws Exception {
        interruptedWaitStillLastsItsTimeout(() -> {
            int epfd = Posix.epollCreate1(Posix.EPOLL_CLOEXEC);
            try (NativeBuffer ev = NativeBuffer.allocate(64); Timespec ts = new Timespec()) {
                return Posix.epollPwait2(epfd, ev.address(), 4, TIMEOUT, ts);
            } finally {
                Posix.close(epfd);
            }
        });
    }
}
