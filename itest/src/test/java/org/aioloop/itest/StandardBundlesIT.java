package org.aioloop.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.aioloop.itest.support.AioloopTestSupport;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.Version;
import org.osgi.framework.namespace.PackageNamespace;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.component.runtime.ServiceComponentRuntime;

/** The standard bundle set resolves and starts in Felix, wired the way the architecture says. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class StandardBundlesIT extends AioloopTestSupport {

    @Configuration
    public Option[] config() {
        return withBundles();
    }

    @Test
    public void everyStandardBundleIsActive() {
        List<String> notActive = new ArrayList<>();
        int seen = 0;
        for (String name : standardBundleNames()) {
            Bundle b = byLocationEnding("/" + name + ".jar");
            seen++;
            boolean fragment = (b.adapt(BundleRevision.class).getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                notActive.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertTrue("bundles not active: " + notActive, notActive.isEmpty());
        assertTrue("the standard set includes api, posix, jna and SCR", seen >= 4);
        assertEquals(Bundle.ACTIVE, bundle("org.aioloop.api").getState());
        assertEquals(Bundle.ACTIVE, bundle("org.aioloop.posix").getState());
    }

    @Test
    public void apiExportsItsVersionedPackages() {
        BundleWiring wiring = bundle("org.aioloop.api").adapt(BundleWiring.class);
        List<String> exported = new ArrayList<>();
        for (BundleCapability c : wiring.getCapabilities(PackageNamespace.PACKAGE_NAMESPACE)) {
            String pkg = (String) c.getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE);
            exported.add(pkg);
            assertEquals(pkg, new Version(1, 0, 0), c.getAttributes().get(PackageNamespace.CAPABILITY_VERSION_ATTRIBUTE));
        }
        assertTrue(exported.toString(), exported.containsAll(List.of("org.aioloop.api", "org.aioloop.api.backend",
                "org.aioloop.api.device", "org.aioloop.api.host")));
    }

    @Test
    public void exactlyOneJnaAndPosixIsWiredToIt() {
        int jnaBundles = 0;
        for (Bundle b : context.getBundles()) {
            if ("com.sun.jna".equals(b.getSymbolicName())) {
                jnaBundles++;
            }
        }
        assertEquals("one JNA in the framework (jna #1487)", 1, jnaBundles);
        boolean wired = false;
        for (BundleWire w : bundle("org.aioloop.posix").adapt(BundleWiring.class)
                .getRequiredWires(PackageNamespace.PACKAGE_NAMESPACE)) {
            if ("com.sun.jna".equals(w.getCapability().getAttributes().get(PackageNamespace.PACKAGE_NAMESPACE))) {
                wired = w.getProvider().getBundle().equals(bundle("com.sun.jna"));
            }
        }
        assertTrue("posix imports com.sun.jna from the JNA bundle", wired);
    }

    @Test
    public void declarativeServicesRuns() {
        assertNotNull(awaitService(ServiceComponentRuntime.class, null));
    }

    private Bundle byLocationEnding(String suffix) {
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().endsWith(suffix)) {
                return b;
            }
        }
        throw new AssertionError("no bundle installed from *" + suffix);
    }
}
