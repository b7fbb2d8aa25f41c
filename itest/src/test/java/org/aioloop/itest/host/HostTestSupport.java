package org.aioloop.itest.host;

import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.support.AioloopTestSupport;
import org.aioloop.posix.Posix;
import org.ops4j.pax.exam.Option;

/**
 * What the host ITs share on top of {@link AioloopTestSupport}: the container with the core bundle,
 * and bounded waits on the host's state.
 */
public abstract class HostTestSupport extends AioloopTestSupport {
    /**
     * @param extra more options (test bundles)
     * @return the standard container plus {@code loop-core} (from the standard set when it is there,
     *         else from the local repository, offline)
     */
    public static Option[] withHost(Option... extra) {
        return withBundles(loopCore(), composite(extra));
    }

    private static Option loopCore() {
        if (standardBundleNames().contains("loop-core")) {
            return composite();
        }
        return mavenBundle("org.aioloop", "loop-core", "0.1.0-SNAPSHOT");
    }

    /**
     * @return the host service
     */
    protected LoopHost host() {
        return awaitService(LoopHost.class, null);
    }

    /**
     * Waits until {@code condition} holds.
     *
     * @param what      says what is awaited, for the failure
     * @param condition the condition
     * @param state     describes the current state, for the failure
     */
    protected static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " not reached within " + TIMEOUT.toMillis() + " ms; now: " + state.get());
            }
            try {
                Thread.sleep(2); // polling a condition with a deadline, not synchronising
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting for " + what, e);
            }
        }
    }

    /**
     * @param name  a device name
     * @param state the state to wait for
     * @return the device's report in that state
     */
    protected DeviceInfo awaitDevice(String name, DeviceState state) {
        LoopHost host = host();
        await("device '" + name + "' " + state, () -> {
            DeviceInfo d = device(host, name);
            return d != null && d.state() == state;
        }, () -> String.valueOf(host.devices()));
        return device(host, name);
    }

    /**
     * @param host a host
     * @param name a device name
     * @return its report, or null
     */
    protected static DeviceInfo device(LoopHost host, String name) {
        for (DeviceInfo d : host.devices()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * @param host a host
     * @return "name=backend" for every context
     */
    protected static List<String> backendsInUse(LoopHost host) {
        List<String> out = new ArrayList<>();
        for (AioContext c : host.contexts()) {
            out.add(c.name() + "=" + c.backendName());
        }
        return out;
    }

    /**
     * @param host    a host
     * @param backend a backend name
     * @return whether every context is on it
     */
    protected static boolean allOn(LoopHost host, String backend) {
        for (AioContext c : host.contexts()) {
            if (!backend.equals(c.backendName())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes {@code count} single bytes to a non-blocking fd, spinning while it is full.
     *
     * @param fd    the write end
     * @param count how many
     */
    protected static void writeBytes(int fd, int count) {
        ByteBuffer one = ByteBuffer.allocateDirect(1);
        for (int i = 0; i < count; i++) {
            for (;;) {
                one.clear();
                if (Posix.write(fd, one) == 1) {
                    break;
                }
                Thread.onSpinWait();
            }
        }
    }

    /**
     * @return how long the helpers wait
     */
    protected static Duration timeout() {
        return TIMEOUT;
    }
}
