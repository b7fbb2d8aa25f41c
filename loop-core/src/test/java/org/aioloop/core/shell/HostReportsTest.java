package org.aioloop.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.AioException;
import org.aioloop.api.BottomHalf;
import org.aioloop.api.ClockType;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceState;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.host.LoopHostImpl;
import org.aioloop.core.host.LoopHosts;
import org.aioloop.posix.Posix;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shell's text against a real host with a real device. */
class HostReportsTest {
    private LoopHostImpl host;
    private HostReports reports;
    private final TestDevice device = new TestDevice();

    /** Holds a pipe read end, a named bottom half and an armed timer. */
    static final class TestDevice implements DeviceHandler {
        final CountDownLatch attached = new CountDownLatch(1);
        int[] pipe;
        BottomHalf bh;

        @Override
        public String name() {
            return "probe";
        }

        @Override
        public void attach(DeviceContext ctx) {
            pipe = Posix.pipe2(Posix.O_NONBLOCK | Posix.O_CLOEXEC);
            ctx.setFdHandler(pipe[0], (fd, ev) -> { }, null);
            bh = ctx.newBottomHalf("flush", () -> { });
            ctx.newTimer(ClockType.REALTIME, "tick", () -> { }).modIn(1, TimeUnit.HOURS);
            attached.countDown();
        }

        @Override
        public void detach(DeviceContext ctx) {
            Posix.close(pipe[0]);
            Posix.close(pipe[1]);
        }
    }

    @BeforeEach
    void start() throws InterruptedException {
        host = LoopHosts.builder().registry(BackendRegistry.fromServiceLoader()).build();
        reports = new HostReports(host);
        host.addDevice(device, Map.of());
        assertTrue(device.attached.await(5, TimeUnit.SECONDS));
        // the latch opens inside attach(); the state turns ATTACHED when attach() has returned
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (host.devices().get(0).state() != DeviceState.ATTACHED) {
            assertTrue(System.nanoTime() < deadline, "device did not reach ATTACHED");
            Thread.onSpinWait();
        }
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void contextsListThreadBackendAndCounters() {
        List<String> lines = reports.contexts().lines().toList();
        assertTrue(lines.get(0).matches("CONTEXT\\s+THREAD\\s+BACKEND\\s+ITERATIONS\\s+WAITS\\s+DISPATCHES\\s+ERRORS\\s+HANDLERS"),
                lines.get(0));
        assertEquals(lines.get(0).indexOf("THREAD"), lines.get(2).indexOf("aioloop-main"), "columns line up");
        assertTrue(lines.get(2).matches("main\\s+aioloop-main\\s+epoll\\s+\\d+.*"), lines.get(2));
        assertTrue(lines.get(3).matches("iohandler\\s+aioloop-main\\s+epoll\\s+\\d+.*"), lines.get(3));
        assertEquals(4, lines.size());
    }

    @Test
    void showNamesTheDevicesRegistrations() {
        String out = reports.show("main");
        assertTrue(out.contains("fd handlers of context 'main' (epoll):"), out);
        assertTrue(out.matches("(?s).*\\n\\s*" + device.pipe[0] + "\\s+IN\\|ERR\\|HUP\\s+probe\\s+no\\n.*"), out);
        assertTrue(out.matches("(?s).*\\nflush\\s+no\\s+no\\n.*"), out);
        assertTrue(out.matches("(?s).*\\ntick\\s+REALTIME\\s+3[56]\\d\\d\\.\\d\\d s\\n.*"), out);
    }

    @Test
    void devicesAndBackendsReadAsTables() {
        String devices = reports.devices();
        assertTrue(devices.matches("(?s).*\\nprobe\\s+main\\s+ATTACHED\\s+3\\s+-\\s+-\\n.*"), devices);
        String backends = reports.backends();
        assertTrue(backends.matches("(?s).*\\nepoll\\s+100\\s+yes\\s+main,iohandler.*"), backends);
        assertTrue(backends.matches("(?s).*\\npoll\\s+10\\s+yes\\s+main-context.*"), backends);
    }

    @Test
    void statsIncludePerDeviceCounters() {
        device.bh.schedule();
        String out = reports.stats("main");
        assertTrue(out.contains("DEVICE"), out);
        assertTrue(out.matches("(?s).*\\nprobe\\s+\\d+\\s+0\\s+.*"), out);
    }

    @Test
    void switchingPrintsWhereEachContextIsNow() {
        assertEquals("main: poll\niohandler: poll\n", reports.switchBackend("poll", null));
        assertEquals("main: epoll\n", reports.switchBackend("epoll", "main"));
        AioException e = assertThrows(AioException.class, () -> reports.switchBackend("kqueue", null));
        assertTrue(e.getMessage().contains("kqueue"), e.getMessage());
    }

    @Test
    void unknownContextsNameTheKnownOnes() {
        AioException e = assertThrows(AioException.class, () -> reports.handlers("nope"));
        assertEquals("no context 'nope' (known: main, iohandler)", e.getMessage());
    }

    @Test
    void iothreadCommandsParseKeyValuesAndValidateThem() {
        String added = IOThreadAddCommand.run(reports, List.of("io1", "poll-max-ns=0", "thread-pool-max=4"));
        assertEquals("IOThread 'io1' started on backend epoll\n", added);
        String list = reports.iothreads();
        assertTrue(list.matches("(?s).*\\nio1\\s+IO io1\\s+epoll\\s+0\\s+0\\s+0\\s+0\\s+4\\n.*"), list);

        InvalidConfigurationException bad = assertThrows(InvalidConfigurationException.class,
                () -> IOThreadAddCommand.run(reports, List.of("io2", "poll-max-ns=-5")));
        assertEquals("poll-max-ns", bad.key());
        assertThrows(AioException.class, () -> IOThreadAddCommand.run(reports, List.of("io2", "colour=red")));
        assertThrows(AioException.class, () -> IOThreadAddCommand.run(reports, List.of()));

        assertEquals("IOThread 'io1' stopped\n", reports.removeIOThread("io1"));
        AioException gone = assertThrows(AioException.class, () -> reports.removeIOThread("io1"));
        assertEquals("no IOThread 'io1' (running: none)", gone.getMessage());
    }
}
