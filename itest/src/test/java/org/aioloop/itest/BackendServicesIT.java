package org.aioloop.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.aioloop.api.EventNotifier;
import org.aioloop.api.IoEvents;
import org.aioloop.api.backend.FdMonitor;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.backend.ReadySet;
import org.aioloop.itest.support.AioloopTestSupport;
import org.aioloop.itest.support.ProcessResources;
import org.aioloop.posix.EventNotifiers;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerMethod;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/**
 * The backend bundles publish their {@link PollBackend} services (property {@code backend}), the
 * services work inside the framework (JNA loads there), and they follow their bundle's life cycle:
 * stop removes, start restores, update re-registers, uninstall removes for good, reinstall restores.
 * Per method, so each test starts from a fresh framework; the core is left out.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerMethod.class)
public class BackendServicesIT extends AioloopTestSupport {
    private static final String POLL = "(" + PollBackend.PROP_NAME + "=poll)";
    private static final String EPOLL = "(" + PollBackend.PROP_NAME + "=epoll)";

    @Configuration
    public Option[] config() {
        // Without the core: these tests are about the backend bundles themselves. The core would
        // open and close epoll monitors of its own as backends come and go (asynchronously, on its
        // contexts' threads), which the fd check would count; HostBackendsIT covers that interplay.
        return withBundlesExcept(Set.of("loop-core"));
    }

    @Test
    public void bothBackendsAreRegisteredByTheirBundles() {
        for (String name : List.of("poll", "epoll")) {
            String filter = "(" + PollBackend.PROP_NAME + "=" + name + ")";
            PollBackend backend = awaitService(PollBackend.class, filter);
            assertEquals(name, backend.name());
            assertNull(name + " is available on Linux", backend.unavailableReason());
            ServiceReference<PollBackend> ref = references(PollBackend.class, filter).get(0);
            assertEquals("org.aioloop.backend." + name, ref.getBundle().getSymbolicName());
            assertEquals("service.ranking follows rank()", backend.rank(), ref.getProperty(Constants.SERVICE_RANKING));
        }
        assertTrue("epoll outranks poll", awaitService(PollBackend.class, EPOLL).rank()
                > awaitService(PollBackend.class, POLL).rank());
    }

    @Test
    public void eachBackendReportsAReadyEventFdInsideTheFramework() throws Exception {
        for (String filter : List.of(POLL, EPOLL)) {
            PollBackend backend = awaitService(PollBackend.class, filter);
            try (FdMonitor monitor = backend.open(); EventNotifier notifier = EventNotifiers.create()) {
                ReadySet ready = new ReadySet(4);
                monitor.add(notifier.readFd(), IoEvents.IN, 42L);
                assertEquals(backend.name() + ": nothing ready yet", 0, monitor.wait(0, ready));
                notifier.set();
                assertEquals(backend.name() + ": the set notifier is ready", 1,
                        monitor.wait(Duration.ofSeconds(5).toNanos(), ready));
                assertEquals(notifier.readFd(), ready.fd(0));
                assertEquals(42L, ready.token(0));
                assertTrue((ready.events(0) & IoEvents.IN) != 0);
                monitor.remove(notifier.readFd());
            }
        }
    }

    @Test
    public void stoppingABackendBundleRemovesItsServiceAndStartingBringsItBack() throws Exception {
        Bundle epoll = bundle("org.aioloop.backend.epoll");
        long before = serviceId(EPOLL);
        epoll.stop();
        awaitServiceGone(PollBackend.class, EPOLL);
        awaitService(PollBackend.class, POLL); // the other backend is untouched
        epoll.start();
        awaitService(PollBackend.class, EPOLL);
        assertNotEquals("a new registration", before, serviceId(EPOLL));
    }

    @Test
    public void updatingABackendBundleReRegistersItsService() throws Exception {
        Bundle poll = bundle("org.aioloop.backend.poll");
        long before = serviceId(POLL);
        try (InputStream in = Files.newInputStream(bundleFile("backend-poll"))) {
            poll.update(in);
        }
        refresh(poll);
        assertEquals(Bundle.ACTIVE, poll.getState());
        PollBackend backend = awaitService(PollBackend.class, POLL);
        assertNotEquals("a new registration", before, serviceId(POLL));
        try (FdMonitor monitor = backend.open()) {
            assertEquals("poll", monitor.backendName());
        }
    }

    @Test
    public void uninstallRemovesABackendForGoodAndReinstallRestoresIt() throws Exception {
        // Warm-up: JNA's one-time state (its cleaner thread, libffi's trampoline file) is no leak.
        reinstallEpollAndUseIt();
        ProcessResources baseline = ProcessResources.snapshot();
        for (int i = 0; i < 5; i++) {
            reinstallEpollAndUseIt();
        }
        List<String> left = ProcessResources.awaitBack(baseline, Duration.ofSeconds(5));
        assertTrue("left behind by 5 uninstall/reinstall cycles: " + left, left.isEmpty());
    }

    private void reinstallEpollAndUseIt() throws Exception {
        awaitService(PollBackend.class, EPOLL);
        uninstallAndRefresh(bundle("org.aioloop.backend.epoll"));
        awaitServiceGone(PollBackend.class, EPOLL);
        assertTrue("poll stays", references(PollBackend.class, POLL).size() == 1);
        Bundle again = context.installBundle(bundleFile("backend-epoll").toUri().toString());
        again.start();
        try (FdMonitor monitor = awaitService(PollBackend.class, EPOLL).open()) {
            assertTrue("the epoll monitor has its epoll fd", monitor.pollableFd() >= 0);
        }
    }

    private long serviceId(String filter) {
        awaitService(PollBackend.class, filter);
        return (Long) references(PollBackend.class, filter).get(0).getProperty(Constants.SERVICE_ID);
    }
}
