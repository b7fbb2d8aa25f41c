package org.aioloop.posix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.aioloop.api.ContextClosedException;
import org.junit.jupiter.api.Test;

/**
 * signalfd with thread-directed signals, each run on a fresh thread so the runner's signal mask
 * is never changed. SIGUSR1 (unused by HotSpot) and SIGHUP are raised only after the test has
 * checked that the thread blocks them.
 */
class SignalFdTest {
    private static List<Integer> onFreshThread(int... signals) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(() -> {
            List<Integer> got = new ArrayList<>();
            try (SignalFd sfd = SignalFd.open(signals)) {
                assertEquals(0, sfd.read(), "nothing pending yet");
                for (int s : signals) {
                    if (!SignalFd.isBlockedOnCurrentThread(s)) {
                        throw new AssertionError("signal " + s + " is not blocked; not raising it");
                    }
                }
                for (int s : signals) {
                    SignalFd.raiseOnCurrentThread(s);
                }
                for (int s; (s = sfd.read()) != 0;) {
                    got.add(s);
                    assertEquals(ProcessHandle.current().pid(), sfd.lastSenderPid());
                }
                result.set(got);
            } catch (Throwable e) {
                result.set(e);
            }
        }, "signalfd-test");
        t.start();
        t.join(10_000);
        Object r = result.get();
        if (r instanceof Throwable) {
            throw new AssertionError("signal thread failed", (Throwable) r);
        }
        @SuppressWarnings("unchecked")
        List<Integer> got = (List<Integer>) r;
        return got;
    }

    @Test
    void blockedSignalsRaisedOnTheThreadAreReadFromTheFd() throws Exception {
        List<Integer> got = onFreshThread(SignalFd.SIGUSR1, SignalFd.SIGHUP);
        assertEquals(2, got.size(), got.toString());
        assertTrue(got.contains(SignalFd.SIGUSR1) && got.contains(SignalFd.SIGHUP), got.toString());
    }

    @Test
    void closeIsIdempotentAndLeavesNoFd() throws Exception {
        int before = FdCounter.openFds();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                SignalFd sfd = SignalFd.open(SignalFd.SIGUSR1);
                assertTrue(Posix.isOpen(sfd.fd()));
                sfd.close();
                sfd.close();
                assertThrows(ContextClosedException.class, sfd::read);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(FdCounter.awaitAtMost(before, java.time.Duration.ofSeconds(2)) <= before, "fds leaked: more open than the " + before + " before");
    }

    @Test
    void badSignalNumbersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> SignalFd.open());
        assertThrows(IllegalArgumentException.class, () -> SignalFd.open(0));
        assertThrows(IllegalArgumentException.class, () -> SignalFd.open(65));
    }
}
