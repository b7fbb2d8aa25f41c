package org.aioloop.itest.host;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Hashtable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.aioloop.api.AioContext;
import org.aioloop.api.EventSource;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.host.LoopHost;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;

/**
 * An {@link EventSource} service is attached to the main loop's MainContext with its priority
 * property, dispatched on the main loop thread, and destroyed when the service goes away.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class HostSourcesIT extends HostTestSupport {
    @Configuration
    public Option[] config() {
        return withHost();
    }

    @Test
    public void anEventSourceServiceIsAttachedDispatchedAndDestroyed() throws Exception {
        LoopHost host = host();
        AtomicReference<SourceHandle> handle = new AtomicReference<>();
        AtomicInteger prepares = new AtomicInteger();
        AtomicReference<String> dispatchThread = new AtomicReference<>();
        CountDownLatch dispatched = new CountDownLatch(1);
        CountDownLatch destroyed = new CountDownLatch(1);
        EventSource source = new EventSource() {
            @Override
            public long prepare(SourceHandle h) {
                handle.compareAndSet(null, h);
                prepares.incrementAndGet();
                return -1;
            }

            @Override
            public boolean check(SourceHandle h) {
                return false; // readiness comes from the ready time only
            }

            @Override
            public boolean dispatch(SourceHandle h) {
                h.setReadyTimeNanos(-1);
                dispatchThread.set(Thread.currentThread().getName());
                dispatched.countDown();
                return true;
            }

            @Override
            public void onDestroy(SourceHandle h) {
                destroyed.countDown();
            }
        };
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(EventSource.PROP_PRIORITY, 5);
        props.put("aioloop.source", "itest-source");
        ServiceRegistration<EventSource> reg = context.registerService(EventSource.class, source, props);

        await("the source is prepared", () -> handle.get() != null, () -> "not yet");
        assertEquals(5, handle.get().priority());
        assertEquals("itest-source", handle.get().name());
        handle.get().setReadyTimeNanos(0);
        assertTrue("dispatched", dispatched.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("aioloop-main", dispatchThread.get());

        reg.unregister();
        assertTrue("destroyed when the service went away", destroyed.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
        assertTrue(handle.get().isDestroyed());
        int after = prepares.get();
        CountDownLatch pass = new CountDownLatch(1);
        host.context(AioContext.MAIN).scheduleOneshot(pass::countDown);
        assertTrue(pass.await(timeout().toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("not prepared again after it was destroyed", after, prepares.get());
    }
}
