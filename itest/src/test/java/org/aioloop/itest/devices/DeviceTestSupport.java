package org.aioloop.itest.devices;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.composite;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.aioloop.api.AioContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;
import org.aioloop.api.host.LoopHost;
import org.aioloop.itest.host.HostTestSupport;
import org.aioloop.itest.support.ProcessResources;
import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * What the device ITs share on top of {@link HostTestSupport}: the container with the libraries the
 * device plugins need (plugin-stream, Jackson) but <em>without</em> the devices, which each test
 * installs, configures through ConfigAdmin, exercises and uninstalls itself; and the checks that a
 * departed device left nothing behind.
 *
 * <p>The device bundles are copied by the build to {@code target/device-bundles} (system property
 * {@value #DEVICE_BUNDLES_DIR}), apart from the standard set, so the other ITs never see them.
 *
 * <p>The devices keep their implementation packages private (only block-file and plugin-stream
 * export theirs), so the tests read a device's own counters ({@code ticks()}, {@code localPort()})
 * reflectively through {@link #call}: the service object is the device itself.
 */
public abstract class DeviceTestSupport extends HostTestSupport {
    /** System property (set by failsafe) naming the directory of the device plugin bundles. */
    public static final String DEVICE_BUNDLES_DIR = "itest.device.bundles";
    /** Library bundles installed with the container (file names without {@code .jar}). */
    private static final List<String> LIBRARIES = List.of("plugin-stream", "jackson-annotations", "jackson-core",
            "jackson-databind");
    /** One class of each library, loaded before a baseline so the library's jar is open already. */
    private static final String[][] LIBRARY_CLASSES = {
        {"org.aioloop.plugin.stream", "org.aioloop.plugin.stream.StreamServer"},
        {"com.fasterxml.jackson.core.jackson-annotations", "com.fasterxml.jackson.annotation.JsonProperty"},
        {"com.fasterxml.jackson.core.jackson-core", "com.fasterxml.jackson.core.JsonFactory"},
        {"com.fasterxml.jackson.core.jackson-databind", "com.fasterxml.jackson.databind.ObjectMapper"},
    };

    /** ConfigAdmin, as the devices are configured in production (factory and singleton PIDs). */
    @Inject
    protected ConfigurationAdmin configAdmin;

    private final List<Path> tempDirs = new ArrayList<>();

    // ---------------------------------------------------------------- outside: container options

    /**
     * @param extra more options
     * @return the host container plus the libraries the device plugins import; no device
     */
    public static Option[] withDeviceLibraries(Option... extra) {
        List<Option> libs = new ArrayList<>();
        for (String name : LIBRARIES) {
            libs.add(CoreOptions.bundle(deviceBundleFile(name).toUri().toString()));
        }
        return withHost(composite(libs.toArray(new Option[0])), composite(extra));
    }

    /**
     * @param name a jar of {@code target/device-bundles} without {@code .jar}, e.g. {@code plugin-monitor}
     * @return its path
     */
    public static Path deviceBundleFile(String name) {
        Path dir = Path.of(System.getProperty(DEVICE_BUNDLES_DIR, "target/device-bundles")).toAbsolutePath();
        Path jar = dir.resolve(name + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": run the ITs with 'mvn verify' (the device bundles are"
                    + " copied at pre-integration-test; property " + DEVICE_BUNDLES_DIR + ")");
        }
        return jar;
    }

    // ---------------------------------------------------------------- inside: devices

    /**
     * Installs and starts a device bundle.
     *
     * @param name its jar name, e.g. {@code plugin-chardev-socket}
     * @return the started bundle
     */
    protected Bundle installDevice(String name) throws BundleException {
        Bundle b = context.installBundle(deviceBundleFile(name).toUri().toString());
        b.start();
        return b;
    }

    /**
     * Stops a device bundle, checks the host detached its devices (on the way out, before the stop
     * returned), then uninstalls and refreshes it so nothing of it stays wired.
     *
     * @param b       the bundle
     * @param devices the names of the devices it provided
     */
    protected void removeDevice(Bundle b, String... devices) throws BundleException {
        b.stop();
        LoopHost host = host();
        for (String name : devices) {
            assertDeviceGone(host, name);
        }
        uninstallAndRefresh(b);
    }

    /**
     * Asserts a device is no longer attached: detached (not failed), holding nothing, having leaked
     * nothing, and no longer registered as a service.
     */
    protected void assertDeviceGone(LoopHost host, String name) {
        assertDeviceDetached(host, name);
        assertEquals("device '" + name + "' still registered", List.of(),
                references(DeviceHandler.class, deviceFilter(name)));
    }

    /**
     * Asserts the host reports a device detached (not failed), holding nothing and having leaked
     * nothing (or does not know it at all).
     */
    protected static void assertDeviceDetached(LoopHost host, String name) {
        DeviceInfo d = device(host, name);
        if (d != null) {
            assertEquals("device '" + name + "' state after its bundle stopped: " + d, DeviceState.DETACHED, d.state());
            assertEquals("device '" + name + "' still holds", List.of(), d.resources());
            assertEquals("device '" + name + "' leaked", List.of(), d.leaked());
        }
    }

    /**
     * @param name a device name
     * @return the device service object (the device itself), once registered
     */
    protected DeviceHandler deviceService(String name) {
        return awaitService(DeviceHandler.class, deviceFilter(name));
    }

    /**
     * @param name a device name
     * @return the device's service reference
     */
    protected ServiceReference<DeviceHandler> deviceReference(String name) {
        deviceService(name);
        return references(DeviceHandler.class, deviceFilter(name)).get(0);
    }

    private static String deviceFilter(String name) {
        return "(" + DeviceHandler.PROP_NAME + "=" + name + ")";
    }

    /**
     * Calls a public no-argument method of a device (its class is private to its bundle).
     *
     * @return what it returned
     */
    protected static Object call(Object target, String method) {
        try {
            Method m = target.getClass().getMethod(method);
            return m.invoke(target);
        } catch (InvocationTargetException e) {
            throw new AssertionError(target.getClass().getName() + "." + method + "() threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + target.getClass().getName() + "." + method + "(): " + e, e);
        }
    }

    /**
     * Calls a public method of a device (its class may be private to its bundle, and the probe must
     * not wire to a device bundle's package: refreshing that bundle would refresh the probe).
     *
     * @param types the parameter types
     * @param args  the arguments
     * @return what it returned
     */
    protected static Object callWith(Object target, String method, Class<?>[] types, Object... args) {
        try {
            Method m = target.getClass().getMethod(method, types);
            return m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(target.getClass().getName() + "." + method + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot call " + target.getClass().getName() + "." + method + ": " + e, e);
        }
    }

    /**
     * @return {@link #call} as a long
     */
    protected static long callLong(Object target, String method) {
        return ((Number) call(target, method)).longValue();
    }

    // ---------------------------------------------------------------- inside: configuration

    /**
     * Creates a factory configuration (bound to no bundle: {@code "?"}).
     *
     * @param factoryPid the factory PID
     * @param keyValues  alternating keys and values
     * @return the configuration, to update or delete
     */
    protected Configuration factoryConfiguration(String factoryPid, Object... keyValues) throws IOException {
        Configuration c = configAdmin.createFactoryConfiguration(factoryPid, "?");
        c.update(dict(keyValues));
        return c;
    }

    /**
     * Sets a singleton configuration (bound to no bundle).
     *
     * @param pid       the PID
     * @param keyValues alternating keys and values
     * @return the configuration
     */
    protected Configuration configuration(String pid, Object... keyValues) throws IOException {
        Configuration c = configAdmin.getConfiguration(pid, "?");
        c.update(dict(keyValues));
        return c;
    }

    /** Deletes configurations, ignoring nulls and ones already gone. */
    protected static void deleteQuietly(Configuration... configurations) {
        for (Configuration c : configurations) {
            if (c == null) {
                continue;
            }
            try {
                c.delete();
            } catch (IOException | IllegalStateException e) {
                // already deleted
            }
        }
    }

    /**
     * @param keyValues alternating keys and values
     * @return a configuration dictionary
     */
    protected static Dictionary<String, Object> dict(Object... keyValues) {
        Hashtable<String, Object> d = new Hashtable<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        return d;
    }

    // ---------------------------------------------------------------- inside: leaks

    /**
     * Opens what the JVM and the libraries open lazily and forever (library jars in the Felix cache,
     * the CompletableFuture delay scheduler thread), then snapshots the process: whatever appears
     * beyond this afterwards belongs to the device under test.
     *
     * @return the baseline
     */
    protected ProcessResources baseline() throws Exception {
        for (String[] lib : LIBRARY_CLASSES) {
            bundle(lib[0]).loadClass(lib[1]);
        }
        new CompletableFuture<Void>().orTimeout(1, TimeUnit.DAYS).cancel(false);
        return ProcessResources.snapshot();
    }

    /**
     * Asserts nothing beyond {@code baseline} is held any more (bounded wait for threads to end).
     *
     * <p>One thing is not the device's: Pax Exam's extender (pax-swissbox {@code BundleWatcher})
     * reacts to bundle events on a pool of three core threads, {@code "BundleWatcher: N"}, that it
     * starts on the first events it sees and never ends. Those are left out of the comparison.
     */
    protected static void assertNothingLeft(ProcessResources baseline) throws InterruptedException {
        long deadline = System.nanoTime() + timeout().toNanos();
        List<String> left = withoutTestInfrastructure(ProcessResources.snapshot().beyond(baseline));
        while (!left.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling for threads to end, bounded by the deadline
            left = withoutTestInfrastructure(ProcessResources.snapshot().beyond(baseline));
        }
        assertTrue("left behind: " + left, left.isEmpty());
    }

    private static List<String> withoutTestInfrastructure(List<String> extra) {
        List<String> out = new ArrayList<>(extra);
        out.removeIf(e -> e.matches("thread 'BundleWatcher: \\d+'"));
        return out;
    }

    /**
     * @return a new directory under /tmp (short, so Unix socket paths fit), deleted by
     *         {@link #deleteTempDirs()}
     */
    protected Path tempDir() throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "aio-dev");
        tempDirs.add(dir);
        return dir;
    }

    /** Deletes the directories {@link #tempDir()} made. Call from an {@code @After}. */
    protected void deleteTempDirs() throws IOException {
        for (Path dir : tempDirs) {
            if (Files.exists(dir)) {
                try (Stream<Path> files = Files.walk(dir)) {
                    for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }
        tempDirs.clear();
    }

    // ---------------------------------------------------------------- inside: threads

    /**
     * Runs {@code r} on the home thread of {@code ctx} and waits for it (bounded): afterwards every
     * callback that was running there when this was called has finished.
     */
    protected static void onHomeThread(AioContext ctx, Runnable r) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        ctx.execute(() -> {
            try {
                r.run();
            } catch (Throwable t) {
                failure[0] = t;
            } finally {
                done.countDown();
            }
        });
        if (!done.await(timeout().toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the home thread of '" + ctx.name() + "' did not run a task within " + timeout());
        }
        if (failure[0] != null) {
            throw new AssertionError("on the home thread of '" + ctx.name() + "': " + failure[0], failure[0]);
        }
    }

    /**
     * @return how long one client operation may take
     */
    protected static Duration ioTimeout() {
        return timeout();
    }
}
