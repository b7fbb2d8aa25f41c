package org.aioloop.posix;

import java.util.Arrays;

/**
 * Hand-run measurement (not a test): the per-call cost of {@code epoll_wait(epfd, buf, 64, 0)} on an
 * empty epoll set through {@link Posix#epollWait}, 1e6 calls per run after warm-up, median of 5.
 * Run: {@code java -cp posix/target/classes:posix/target/test-classes:<jna.jar> org.aioloop.posix.EpollWaitCost}
 */
public final class EpollWaitCost {
    private EpollWaitCost() {
    }

    private static void report(String what, double[] ns) {
        double[] sorted = ns.clone();
        Arrays.sort(sorted);
        StringBuilder runs = new StringBuilder();
        for (double d : ns) {
            runs.append(runs.length() == 0 ? "" : ", ").append(Math.round(d));
        }
        System.out.printf("epoll_wait(empty, 64, 0) via %s: median %.1f ns/call, runs [%s]%n", what, sorted[2], runs);
    }

    /**
     * @param args ignored
     */
    public static void main(String[] args) {
        int calls = 1_000_000;
        int epfd = Posix.epollCreate1(Posix.EPOLL_CLOEXEC);
        try (NativeBuffer events = NativeBuffer.allocate(64 * EpollEventLayout.NATIVE.size())) {
            long addr = events.address();
            long sink = 0;
            for (int i = 0; i < 3 * calls; i++) {
                sink += Posix.epollWait(epfd, addr, 64, 0) + LibC.epoll_wait(epfd, addr, 64, 0);
            }
            double[] wrapped = new double[5];
            double[] raw = new double[5];
            for (int r = 0; r < wrapped.length; r++) {
                long t0 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    sink += Posix.epollWait(epfd, addr, 64, 0);
                }
                long t1 = System.nanoTime();
                for (int i = 0; i < calls; i++) {
                    sink += LibC.epoll_wait(epfd, addr, 64, 0);
                }
                wrapped[r] = (t1 - t0) / (double) calls;
                raw[r] = (System.nanoTime() - t1) / (double) calls;
            }
            report("Posix.epollWait (wrapper)", wrapped);
            report("LibC.epoll_wait (bare JNA direct)", raw);
            System.out.println("sink " + sink);
        } finally {
            Posix.close(epfd);
        }
    }
}
