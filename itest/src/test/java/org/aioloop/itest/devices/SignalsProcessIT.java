package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.support.ProcessResources;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals device (plugins/signals) in Felix, with <em>process-directed</em> signals: {@code kill
 * -s HUP <pid>} to the JVM Felix runs in. The kernel hands such a signal to a thread that does not
 * block it, not to the loop thread, so the device takes it through its JVM handler (the bundle
 * imports {@code sun.misc}, which Felix's system bundle exports) and the host reloads: the LoopHost
 * service's {@code aioloop.config.generation} goes up once per signal and the JVM lives on. Removing
 * the bundle puts back the handler the device found.
 *
 * <p>SIGHUP is never left to the JVM's own handler (it would end the test JVM): before the bundle
 * starts, the test installs a counting handler, which the device replaces and then restores; the
 * JVM's handler comes back only at the end. Only SIGHUP is sent: TERM/INT would stop the framework.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SignalsProcessIT extends DeviceTestSupport {
    private static final String NAME = "signals";
    private static final String GENERATION = "aioloop.config.generation";

    /** Takes the SIGHUPs that do not reach the device. */
    private static final class Guard implements SignalHandler {
        final Semaphore taken = new Semaphore(0);

        @Override
        public void handle(Signal sig) {
            taken.release();
        }
    }

    @Configuration
    public Option[] config() {
        return withDeviceLibraries();
    }

    @Test
    public void aProcessDirectedSighupReloadsTheHostAndDetachRestoresTheHandler() throws Exception {
        LoopHost host = host();
        kill("0"); // the JDK's process reaper thread exists from now on: not the device's
        ProcessResources baseline = baseline();
        Signal hup = new Signal("HUP");
        Guard guard = new Guard();
        SignalHandler original = Signal.handle(hup, guard);
        Bundle b = null;
        try {
            b = installDevice("plugin-signals");
            awaitDevice(NAME, DeviceState.ATTACHED);
            DeviceHandler device = deviceService(NAME);
            for (int i = 1; i <= 3; i++) {
                long before = generation();
                kill("HUP");
                int round = i;
                await("kill -HUP " + i + " reloaded the configuration", () -> generation() > before,
                        () -> "generation " + generation() + ", was " + before + "; " + device);
                await("SIGHUP " + i + " counted", () -> callLong(device, "received") == round, device::toString);
            }
            assertEquals("the handler the device replaced saw no SIGHUP", 0, guard.taken.availablePermits());
            assertEquals(DeviceState.ATTACHED, device(host, NAME).state());
            assertTrue(host.mainLoop().isRunning());

            removeDevice(b, NAME);
            b = null;
            assertSame("the device put back the handler it found", guard, current(hup));
            long after = generation();
            kill("HUP");
            assertTrue("the restored handler takes the next SIGHUP", guard.taken.tryAcquire(ioTimeout().toMillis(),
                    TimeUnit.MILLISECONDS));
            assertEquals("no reload without the device", after, generation());
        } finally {
            if (b != null) {
                b.uninstall();
            }
            Signal.handle(hup, original);
        }
        assertNothingLeft(baseline);
    }

    /** What is installed for {@code sig} now; briefly swaps in a probe, so call it with no signal in flight. */
    private static SignalHandler current(Signal sig) {
        SignalHandler now = Signal.handle(sig, s -> { });
        Signal.handle(sig, now);
        return now;
    }

    private static void kill(String signal) throws Exception {
        Process p = new ProcessBuilder("kill", "-s", signal, Long.toString(ProcessHandle.current().pid()))
                .redirectErrorStream(true).start();
        assertTrue("kill ran", p.waitFor(ioTimeout().toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("kill -s " + signal, 0, p.exitValue());
    }

    private long generation() {
        ServiceReference<LoopHost> ref = references(LoopHost.class, null).get(0);
        Object g = ref.getProperty(GENERATION);
        return g == null ? -1 : ((Number) g).longValue();
    }
}
