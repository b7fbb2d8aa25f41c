package org.aioloop.itest.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.Dictionary;
import java.util.Hashtable;

import javax.inject.Inject;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.host.bundles.traffic.TrafficActivator;
import org.aioloop.itest.host.bundles.traffic.TrafficDevice;
import org.aioloop.itest.support.TestBundles;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Configuration through ConfigAdmin: the host PID {@code org.aioloop.core} is applied live (the
 * contexts switch backend without a restart), a bad value is rejected naming key and value with the
 * previous configuration kept, and {@code org.aioloop.iothread} factory configurations start,
 * reconfigure (same thread, live) and stop IOThreads.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class HostConfigIT extends HostTestSupport {
    private static final String GENERATION = "aioloop.config.generation";
    private static final String ERROR = "aioloop.config.error";
    private static final String CONFIG_BACKEND = "aioloop.config.backend";
    private static final String TRAFFIC = "itest.host.traffic";

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() {
        return withHost(TestBundles.build(TRAFFIC, TrafficActivator.class, TrafficDevice.class));
    }

    @Test
    public void aDeviceWaitsForItsIOThreadConfigurationAndFollowsIt() throws Exception {
        System.setProperty(TrafficActivator.CONTEXT_PROPERTY, "io8");
        Bundle device = context.installBundle(TestBundles.location(TRAFFIC));
        device.start();
        awaitDevice(TrafficActivator.NAME, DeviceState.PENDING);

        org.osgi.service.cm.Configuration io = configAdmin.createFactoryConfiguration("org.aioloop.iothread", "?");
        io.update(dict("name", "io8"));
        awaitDevice(TrafficActivator.NAME, DeviceState.ATTACHED);
        assertEquals("io8", device(host(), TrafficActivator.NAME).context());

        io.delete();
        awaitServiceGone(AioContext.class, "(aioloop.context=io8)");
        awaitDevice(TrafficActivator.NAME, DeviceState.PENDING);
        assertEquals("detached by the IOThread's own cleanup, nothing leaked", java.util.List.of(),
                device(host(), TrafficActivator.NAME).leaked());
        uninstallAndRefresh(device);
    }

    @Test
    public void hostConfigurationIsAppliedLiveAndABadOneIsRejected() throws Exception {
        LoopHost host = host();
        AioContext mainBefore = host.context(AioContext.MAIN);
        await("epoll at start", () -> allOn(host, "epoll"), () -> backendsInUse(host).toString());
        org.osgi.service.cm.Configuration core = configAdmin.getConfiguration("org.aioloop.core", "?");

        long g = generation();
        core.update(dict("backend", "poll"));
        await("configuration processed", () -> generation() > g, () -> "generation " + generation());
        await("contexts on poll", () -> allOn(host, "poll"), () -> backendsInUse(host).toString());
        assertSame("applied live: the host was not rebuilt", host, host());
        assertSame(mainBefore, host.context(AioContext.MAIN));
        assertEquals("poll", hostRef().getProperty(CONFIG_BACKEND));

        long g2 = generation();
        core.update(dict("backend", "epoll", "thread-pool-max", "lots"));
        await("bad configuration processed", () -> generation() > g2, () -> "generation " + generation());
        String error = (String) hostRef().getProperty(ERROR);
        assertTrue(error, error.contains("thread-pool-max") && error.contains("lots"));
        assertEquals("the previous configuration stays", "poll", hostRef().getProperty(CONFIG_BACKEND));
        assertTrue("nothing of the bad dictionary was applied: " + backendsInUse(host), allOn(host, "poll"));

        long g3 = generation();
        core.update(dict("backend", "auto"));
        await("good configuration processed", () -> generation() > g3, () -> "generation " + generation());
        assertNull("a good configuration clears the error", hostRef().getProperty(ERROR));
        await("contexts back on epoll", () -> allOn(host, "epoll"), () -> backendsInUse(host).toString());
        core.delete();
    }

    @Test
    public void iothreadFactoryConfigurationsStartReconfigureAndStopIOThreads() throws Exception {
        LoopHost host = host();
        org.osgi.service.cm.Configuration io = configAdmin.createFactoryConfiguration("org.aioloop.iothread", "?");
        io.update(dict("name", "io7", "poll-max-ns", "1000", "thread-pool-max", "3"));
        AioContext ctx = awaitService(AioContext.class, "(aioloop.context=io7)");
        ServiceReference<AioContext> ref = references(AioContext.class, "(aioloop.context=io7)").get(0);
        assertEquals("IO io7", ref.getProperty("aioloop.thread"));
        IOThreadInfo info = iothread(host, "io7");
        assertEquals(1000, info.params().maxNs());
        assertEquals(3, info.poolMax());

        io.update(dict("name", "io7", "poll-max-ns", "0", "thread-pool-max", "5"));
        await("reconfigured live", () -> iothread(host, "io7") != null && iothread(host, "io7").params().maxNs() == 0
                && iothread(host, "io7").poolMax() == 5, () -> String.valueOf(host.iothreads()));
        assertSame("same context, same thread", ctx, host.context("io7"));

        io.delete();
        awaitServiceGone(AioContext.class, "(aioloop.context=io7)");
        assertNull(iothread(host, "io7"));
        assertTrue(ctx.isClosed());
    }

    private static IOThreadInfo iothread(LoopHost host, String name) {
        for (IOThreadInfo i : host.iothreads()) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    private ServiceReference<LoopHost> hostRef() {
        host();
        return references(LoopHost.class, null).get(0);
    }

    private long generation() {
        Object g = hostRef().getProperty(GENERATION);
        return g == null ? -1 : ((Number) g).longValue();
    }

    private static Dictionary<String, Object> dict(String... keyValues) {
        Hashtable<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put(keyValues[i], keyValues[i + 1]);
        }
        return d;
    }
}
