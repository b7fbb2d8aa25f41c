package org.aioloop.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.lang.ref.WeakReference;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.aioloop.itest.bundles.leaky.LeakyActivator;
import org.aioloop.itest.bundles.worker.WorkerActivator;
import org.aioloop.itest.support.AioloopTestSupport;
import org.aioloop.itest.support.ProcessResources;
import org.aioloop.itest.support.TestBundles;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;

/**
 * A TinyBundles-built bundle holding a pipe and a thread is installed, started, stopped, updated and
 * uninstalled many times: afterwards the JVM holds no extra fd or thread, and the bundle's class
 * loader is collectable. A deliberately leaky bundle proves the check sees leaks.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class BundleLifecycleIT extends AioloopTestSupport {
    private static final String WORKER = "itest.worker";
    private static final String LEAKY = "itest.leaky";
    private static final int CYCLES = 40;
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @Configuration
    public Option[] config() {
        return withBundles(
                TestBundles.build(WORKER, WorkerActivator.class),
                TestBundles.build(LEAKY, LeakyActivator.class));
    }

    @Test
    public void installStartStopUninstallCyclesLeaveNothingBehind() throws Exception {
        cycle(); // warm-up: class loading, JIT and lazily created framework threads are not leaks
        ProcessResources baseline = ProcessResources.snapshot();
        for (int i = 0; i < CYCLES; i++) {
            Bundle b = context.installBundle(TestBundles.location(WORKER));
            b.start();
            awaitService(Runnable.class, "(" + WorkerActivator.PROP + "=" + WORKER + ")").run();
            if (i == 0) {
                // The check below could not fail if the snapshot did not see the worker's resources.
                List<String> held = ProcessResources.snapshot().beyond(baseline);
                assertTrue("an active worker holds a thread: " + held,
                        held.stream().anyMatch(s -> s.contains("itest-worker-" + b.getBundleId())));
                assertTrue("an active worker holds its pipe: " + held, held.stream().anyMatch(s -> s.contains("pipe")));
            }
            b.stop();
            awaitServiceGone(Runnable.class, "(" + WorkerActivator.PROP + "=" + WORKER + ")");
            uninstallAndRefresh(b);
        }
        List<String> left = ProcessResources.awaitBack(baseline, SETTLE);
        assertTrue("left behind after " + CYCLES + " cycles: " + left, left.isEmpty());
    }

    @Test
    public void updatesKeepOneWorkerAndLeakNothing() throws Exception {
        cycle();
        ProcessResources baseline = ProcessResources.snapshot();
        Bundle b = context.installBundle(TestBundles.location(WORKER));
        b.start();
        for (int i = 0; i < 10; i++) {
            try (var in = new URL(TestBundles.location(WORKER)).openStream()) {
                b.update(in);
            }
            refresh(b);
            assertEquals(Bundle.ACTIVE, b.getState());
            awaitService(Runnable.class, "(" + WorkerActivator.PROP + "=" + WORKER + ")");
            assertEquals("one worker service after update " + i, 1,
                    references(Runnable.class, "(" + WorkerActivator.PROP + "=" + WORKER + ")").size());
        }
        uninstallAndRefresh(b);
        List<String> left = ProcessResources.awaitBack(baseline, SETTLE);
        assertTrue("left behind after updates: " + left, left.isEmpty());
    }

    @Test
    public void classLoaderIsCollectableAfterUninstallAndRefresh() throws Exception {
        WeakReference<ClassLoader> loader = startAndForget();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (loader.get() != null && System.nanoTime() < deadline) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(20);
        }
        assertNull("the uninstalled bundle's class loader is still reachable", loader.get());
    }

    private WeakReference<ClassLoader> startAndForget() throws Exception {
        Bundle b = context.installBundle(TestBundles.location(WORKER));
        b.start();
        ClassLoader cl = b.loadClass(WorkerActivator.class.getName()).getClassLoader();
        assertFalse("loaded by the test bundle, not the probe", cl == getClass().getClassLoader());
        WeakReference<ClassLoader> ref = new WeakReference<>(cl);
        b.stop();
        uninstallAndRefresh(b);
        return ref;
    }

    @Test
    public void theLeakCheckSeesALeakyBundle() throws Exception {
        cycle();
        ProcessResources baseline = ProcessResources.snapshot();
        Bundle b = context.installBundle(TestBundles.location(LEAKY));
        b.start();
        b.stop();
        uninstallAndRefresh(b);
        AutoCloseable cleanup = (AutoCloseable) System.getProperties().remove(LeakyActivator.HANDLE);
        try {
            List<String> left = ProcessResources.snapshot().beyond(baseline);
            assertTrue("the leaked thread is reported: " + left, left.stream().anyMatch(s -> s.contains("itest-leaky")));
            assertTrue("the leaked pipe is reported: " + left, left.stream().anyMatch(s -> s.contains("pipe")));
        } finally {
            cleanup.close();
        }
        List<String> left = ProcessResources.awaitBack(baseline, SETTLE);
        assertTrue("after cleanup: " + left, left.isEmpty());
    }

    private void cycle() throws Exception {
        Bundle b = context.installBundle(TestBundles.location(WORKER));
        b.start();
        awaitService(Runnable.class, "(" + WorkerActivator.PROP + "=" + WORKER + ")").run();
        b.stop();
        uninstallAndRefresh(b);
    }
}
