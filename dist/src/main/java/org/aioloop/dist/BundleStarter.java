package org.aioloop.dist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * Installs the jars of {@code bundles/} and starts them: fragments are only resolved, and the Gogo
 * shell is held back so the launcher can start it last (a console or script must see every other
 * bundle active). Nothing is silent: each bundle that fails is collected with the framework's reason.
 */
final class BundleStarter {
    /** The Gogo shell's symbolic name; it starts the console thread, so it goes last. */
    static final String GOGO_SHELL = "org.apache.felix.gogo.shell";

    private final BundleContext context;
    private final List<Bundle> installed = new ArrayList<>();
    private final List<BundleFailure> failures = new ArrayList<>();
    private Bundle shell;

    BundleStarter(BundleContext context) {
        this.context = context;
    }

    /**
     * Installs every jar; a jar that is not a bundle, or duplicates another's symbolic name and
     * version, is recorded as a failure and skipped.
     */
    void installAll(List<Path> jars) {
        for (Path jar : jars) {
            try {
                Bundle b = context.installBundle(jar.toUri().toString());
                if (GOGO_SHELL.equals(b.getSymbolicName())) {
                    shell = b;
                } else {
                    installed.add(b);
                }
            } catch (BundleException | RuntimeException e) {
                failures.add(new BundleFailure(jar.getFileName().toString(), "install", reason(e)));
            }
        }
    }

    /** Starts every installed bundle except fragments and the shell; resolves fragments. */
    void startAllButShell() {
        List<Bundle> fragments = new ArrayList<>();
        for (Bundle b : installed) {
            if (isFragment(b)) {
                fragments.add(b);
                continue;
            }
            start(b);
        }
        if (!fragments.isEmpty()) {
            context.getBundle(0).adapt(FrameworkWiring.class).resolveBundles(fragments);
            for (Bundle f : fragments) {
                if (f.getState() != Bundle.RESOLVED) {
                    failures.add(new BundleFailure(name(f), "resolve",
                            "the fragment did not attach to its host (is the host bundle present and resolvable?)"));
                }
            }
        }
    }

    /** Starts the Gogo shell, if it was among the bundles. */
    void startShell() {
        if (shell != null) {
            start(shell);
        }
    }

    private void start(Bundle b) {
        try {
            b.start();
            if (b.getState() != Bundle.ACTIVE) {
                failures.add(new BundleFailure(name(b), "start", "it is " + stateName(b.getState())
                        + " after start() (lazy activation policy?)"));
            }
        } catch (BundleException | RuntimeException e) {
            failures.add(new BundleFailure(name(b), e instanceof BundleException
                    && ((BundleException) e).getType() == BundleException.RESOLVE_ERROR ? "resolve" : "start",
                    reason(e)));
        }
    }

    /** @return whether the bundles contained the Gogo shell */
    boolean hasShell() {
        return shell != null;
    }

    /** @return how many bundles (fragments excluded) are ACTIVE now */
    int activeCount() {
        int n = 0;
        for (Bundle b : allInstalled()) {
            if (b.getState() == Bundle.ACTIVE) {
                n++;
            }
        }
        return n;
    }

    /** @return every bundle installed from bundles/, shell included */
    List<Bundle> allInstalled() {
        List<Bundle> all = new ArrayList<>(installed);
        if (shell != null) {
            all.add(shell);
        }
        return all;
    }

    /** @return the failures so far, in the order they happened */
    List<BundleFailure> failures() {
        return failures;
    }

    static boolean isFragment(Bundle b) {
        BundleRevision rev = b.adapt(BundleRevision.class);
        return rev != null && (rev.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    static String name(Bundle b) {
        String location = b.getLocation();
        String file = location.substring(location.lastIndexOf('/') + 1);
        return b.getSymbolicName() + " " + b.getVersion() + " (" + file + ")";
    }

    /** The exception message plus its causes: an activator's exception is the interesting part. */
    static String reason(Throwable e) {
        StringBuilder sb = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            sb.append("\ncaused by ").append(c);
        }
        return sb.toString();
    }

    static String stateName(int state) {
        switch (state) {
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            case Bundle.INSTALLED: return "INSTALLED";
            case Bundle.RESOLVED: return "RESOLVED";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.ACTIVE: return "ACTIVE";
            default: return "state " + state;
        }
    }
}
