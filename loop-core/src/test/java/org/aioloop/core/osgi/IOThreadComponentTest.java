package org.aioloop.core.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.aioloop.api.AioContext;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.host.LoopHostImpl;
import org.aioloop.core.host.LoopHosts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The IOThread component's life cycle against a real host, driven as SCR would drive it. */
class IOThreadComponentTest {
    private LoopHostImpl host;
    private IOThreadComponent component;

    @BeforeEach
    void start() {
        host = LoopHosts.builder().registry(BackendRegistry.fromServiceLoader()).build();
        component = new IOThreadComponent(host);
    }

    @AfterEach
    void stop() {
        host.close();
    }

    @Test
    void startsReconfiguresLiveAndStops() {
        component.activate(props("name", "io1", "poll-max-ns", "1000", "service.pid", "org.aioloop.iothread~a"));
        AioContext ctx = host.context("io1");
        assertEquals(1000, info("io1").params().maxNs());

        component.modified(props("name", "io1", "poll-max-ns", "0", "thread-pool-max", "4"));
        assertSame(ctx, host.context("io1"), "reconfigured in place, not restarted");
        assertEquals(0, info("io1").params().maxNs());
        assertEquals(4, info("io1").poolMax());

        component.deactivate();
        assertNull(host.context("io1"));
        assertTrue(ctx.isClosed());
    }

    @Test
    void aBadChangeIsRejectedAndTheRunningConfigurationStays() {
        component.activate(props("name", "io1", "poll-max-ns", "1000"));
        AioContext ctx = host.context("io1");
        component.modified(props("name", "io1", "poll-max-ns", "-1"));
        component.modified(props("name", "io1", "thread-pool-min", "9", "thread-pool-max", "2"));
        component.modified(props("name", "main"));
        assertSame(ctx, host.context("io1"));
        assertEquals(1000, info("io1").params().maxNs());
        assertEquals(List.of("io1"), host.iothreads().stream().map(IOThreadInfo::name).toList());
        component.deactivate();
    }

    @Test
    void aRenameReplacesTheThread() {
        component.activate(props("name", "io1"));
        component.modified(props("name", "io2"));
        assertNull(host.context("io1"));
        assertEquals(List.of("io2"), host.iothreads().stream().map(IOThreadInfo::name).toList());
        component.deactivate();
        assertTrue(host.iothreads().isEmpty());
    }

    @Test
    void aBadFirstConfigurationStartsNothingAndAGoodOneLaterDoes() {
        component.activate(props("poll-max-ns", "5"));
        assertTrue(host.iothreads().isEmpty());
        component.modified(props("name", "io3"));
        assertEquals(List.of("io3"), host.iothreads().stream().map(IOThreadInfo::name).toList());
        component.deactivate();
    }

    @Test
    void aNameTakenByAnotherConfigurationIsRejected() {
        component.activate(props("name", "io1"));
        IOThreadComponent twin = new IOThreadComponent(host);
        twin.activate(props("name", "io1"));
        twin.deactivate(); // must not stop the first one's thread
        assertEquals(List.of("io1"), host.iothreads().stream().map(IOThreadInfo::name).toList());
        component.deactivate();
    }

    private IOThreadInfo info(String name) {
        return host.iothreads().stream().filter(i -> i.name().equals(name)).findFirst().orElseThrow();
    }

    private static Map<String, Object> props(String... kv) {
        Map<String, Object> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
