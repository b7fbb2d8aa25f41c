package org.aioloop.itest.support;

import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;
import static org.ops4j.pax.exam.CoreOptions.workingDirectory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.ops4j.pax.exam.CoreOptions;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Base class of the in-container tests: the standard bundle set, the container options, and
 * bounded waits for services and refreshes, so an IT states only what it tests.
 *
 * <p>Two sides: the static {@code *Options}/{@code withBundles} methods run outside the framework,
 * in the test's {@code @Configuration} method; the instance helpers run inside it, in the probe,
 * with the injected {@link #context}.
 *
 * <p>Typical use:
 * <pre>{@code
 * @RunWith(PaxExam.class) @ExamReactorStrategy(PerClass.class)
 * public class MyIT extends AioloopTestSupport {
 *     @Configuration public Option[] config() { return withBundles(); }
 *     @Test public void backendIsThere() { awaitService(PollBackend.class, "(backend=poll)"); }
 * }
 * }</pre>
 */
public abstract class AioloopTestSupport {
    /** How long an await helper waits before failing (services appear in milliseconds; this is slack). */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);
    /** System property (set by failsafe) naming the directory of the standard bundles. */
    public static final String BUNDLES_DIR = "itest.bundles";

    /** The framework, as the probe sees it. */
    @Inject
    protected BundleContext context;

    // ---------------------------------------------------------------- outside: container options

    /**
     * @return the standard container: every bundle of {@code target/bundles} (the reactor's bundles
     *         and the OSGi runtime), JUnit, a clean cache, unresolved bundles failing the test
     */
    public static Option[] withBundles(Option... extra) {
        return withBundlesExcept(Set.of(), extra);
    }

    /**
     * @param excluded file names (without {@code .jar}) of standard bundles to leave out, e.g.
     *                 {@code "backend-epoll"}
     * @param extra    more options (a test bundle, a system property)
     * @return the standard container without the excluded bundles
     */
    public static Option[] withBundlesExcept(Set<String> excluded, Option... extra) {
        List<Option> options = new ArrayList<>();
        options.add(cleanCaches());
        options.add(workingDirectory("target/paxexam"));
        options.add(junitBundles());
        // Pax Exam's bound for starting/stopping the container and the probe (default 3 minutes).
        options.add(systemTimeout(30_000));
        options.add(systemProperty("pax.exam.osgi.unresolved.fail").value("true"));
        options.add(frameworkProperty("felix.log.level").value("1"));
        for (String name : standardBundleNames()) {
            if (!excluded.contains(name)) {
                options.add(CoreOptions.bundle(bundleFile(name).toUri().toString()));
            }
        }
        options.add(composite(extra));
        return options.toArray(new Option[0]);
    }

    /**
     * @return the file names (without {@code .jar}) of the standard bundles, sorted
     */
    public static List<String> standardBundleNames() {
        Path dir = bundlesDir();
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".jar"))
                    .map(n -> n.substring(0, n.length() - ".jar".length()))
                    .sorted()
                    .collect(Collectors.toList());
            if (names.isEmpty()) {
                throw new IllegalStateException("no bundles in " + dir + ": run the ITs with 'mvn verify'"
                        + " (the bundles are copied at pre-integration-test)");
            }
            return names;
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the standard bundles in " + dir
                    + ": run the ITs with 'mvn verify' (property " + BUNDLES_DIR + ")", e);
        }
    }

    /**
     * @param name a standard bundle's file name without {@code .jar}, e.g. {@code "backend-poll"}
     * @return its path
     */
    public static Path bundleFile(String name) {
        return bundlesDir().resolve(name + ".jar");
    }

    private static Path bundlesDir() {
        return Path.of(System.getProperty(BUNDLES_DIR, "target/bundles")).toAbsolutePath();
    }

    // ---------------------------------------------------------------- inside: bounded waits

    /**
     * Waits for a service.
     *
     * @param type   the service interface
     * @param filter an LDAP filter on its properties, or null
     * @return the service object (got through {@link #context})
     * @throws AssertionError after {@link #TIMEOUT}, listing what is registered under {@code type}
     */
    protected <T> T awaitService(Class<T> type, String filter) {
        return awaitService(type, filter, TIMEOUT);
    }

    /**
     * Waits for a service, at most {@code timeout}.
     *
     * @see #awaitService(Class, String)
     */
    protected <T> T awaitService(Class<T> type, String filter, Duration timeout) {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, filter(type, filter), null);
        tracker.open();
        try {
            T service = tracker.waitForService(timeout.toMillis());
            if (service == null) {
                throw new AssertionError("no " + type.getName() + (filter == null ? "" : " matching " + filter)
                        + " within " + timeout.toMillis() + " ms; registered: " + describeServices(type));
            }
            return service;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName(), e);
        } finally {
            tracker.close();
        }
    }

    /**
     * Waits until no service of {@code type} matches {@code filter}.
     *
     * @throws AssertionError after {@link #TIMEOUT}, naming the services still there
     */
    protected void awaitServiceGone(Class<?> type, String filter) {
        Object lock = new Object();
        ServiceTracker<?, ?> tracker = new ServiceTracker<Object, Object>(context, filter(type, filter), null) {
            @Override
            public void removedService(ServiceReference<Object> reference, Object service) {
                super.removedService(reference, service);
                synchronized (lock) {
                    lock.notifyAll();
                }
            }
        };
        tracker.open();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try {
            synchronized (lock) {
                // removedService needs the lock to notify, so a removal between the check and the
                // wait is never missed.
                while (tracker.size() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError(type.getName() + (filter == null ? "" : " matching " + filter)
                                + " still registered after " + TIMEOUT.toMillis() + " ms: " + describeServices(type));
                    }
                    TimeUnit.NANOSECONDS.timedWait(lock, left);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting for " + type.getName() + " to go", e);
        } finally {
            tracker.close();
        }
    }

    /**
     * @return the service references of {@code type} matching {@code filter} now (possibly none)
     */
    protected <T> List<ServiceReference<T>> references(Class<T> type, String filter) {
        try {
            return new ArrayList<>(context.getServiceReferences(type, filter));
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param symbolicName a Bundle-SymbolicName
     * @return the installed bundle with that name
     * @throws AssertionError if none is installed, listing what is
     */
    protected Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName + " installed; installed: " + Arrays.stream(
                context.getBundles()).map(Bundle::getSymbolicName).collect(Collectors.joining(", ")));
    }

    /**
     * Refreshes the given bundles (and their dependants) and waits, bounded, until the framework
     * has finished: after this, uninstalled bundles' revisions and class loaders are released.
     */
    protected void refresh(Bundle... bundles) {
        CountDownLatch done = new CountDownLatch(1);
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        wiring.refreshBundles(bundles.length == 0 ? null : Arrays.asList(bundles), event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("refresh of " + Arrays.toString(bundles) + " did not finish in " + TIMEOUT);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted during refresh", e);
        }
    }

    /** Uninstalls the bundles and refreshes, so nothing of them stays wired. */
    protected void uninstallAndRefresh(Bundle... bundles) throws BundleException {
        for (Bundle b : bundles) {
            b.uninstall();
        }
        refresh(bundles);
    }

    private <T> org.osgi.framework.Filter filter(Class<T> type, String filter) {
        String objectClass = "(objectClass=" + type.getName() + ")";
        try {
            return context.createFilter(filter == null ? objectClass : "(&" + objectClass + filter + ")");
        } catch (InvalidSyntaxException e) {
            throw new IllegalArgumentException("bad filter " + filter + ": " + e.getMessage(), e);
        }
    }

    private String describeServices(Class<?> type) {
        try {
            ServiceReference<?>[] refs = context.getAllServiceReferences(type.getName(), null);
            if (refs == null) {
                return "none";
            }
            return Arrays.stream(refs).map(r -> {
                StringBuilder sb = new StringBuilder("{");
                for (String key : r.getPropertyKeys()) {
                    Object v = r.getProperty(key);
                    sb.append(key).append('=').append(v instanceof Object[] ? Arrays.toString((Object[]) v) : v)
                            .append(' ');
                }
                return sb.append("from ").append(r.getBundle() == null ? "?" : r.getBundle().getSymbolicName())
                        .append('}').toString();
            }).collect(Collectors.joining(", "));
        } catch (InvalidSyntaxException e) {
            return "?";
        }
    }
}
