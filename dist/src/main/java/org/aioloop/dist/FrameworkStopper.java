package org.aioloop.dist;

import java.time.Duration;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * Stops the framework with a bound: bundles get {@code timeout} to stop; after that the launcher
 * says which bundles are still not stopped and lets the JVM end anyway rather than hang.
 */
final class FrameworkStopper {
    private final Framework framework;
    private final Duration timeout;
    private final Messages messages;

    FrameworkStopper(Framework framework, Duration timeout, Messages messages) {
        this.framework = framework;
        this.timeout = timeout;
        this.messages = messages;
    }

    private volatile boolean signalled;

    /**
     * Stops the framework (if it still runs) and waits at most the timeout.
     *
     * @return whether it stopped in time
     */
    boolean stopAndWait() {
        try {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                framework.stop();
            }
            FrameworkEvent event = framework.waitForStop(timeout.toMillis());
            if (event.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                String stuck = stillStopping();
                messages.error("the framework did not stop within " + timeout.toSeconds() + " s"
                        + (stuck.isEmpty() ? "" : "; still stopping:" + stuck) + "; exiting anyway");
                return false;
            }
            return true;
        } catch (BundleException e) {
            messages.error("stopping the framework failed: " + e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String stillStopping() {
        StringBuilder stuck = new StringBuilder();
        try {
            for (Bundle b : framework.getBundleContext().getBundles()) {
                if (b.getBundleId() != 0 && b.getState() == Bundle.STOPPING) {
                    stuck.append(' ').append(b.getSymbolicName());
                }
            }
        } catch (RuntimeException e) {
            // the context became invalid meanwhile: nothing more to say
        }
        return stuck.toString();
    }

    /**
     * @return whether the shutdown hook (a signal) is the one stopping the framework
     */
    boolean signalled() {
        return signalled;
    }

    /**
     * @return a shutdown hook that stops the framework on Ctrl-C and SIGTERM
     */
    Thread asShutdownHook() {
        Thread hook = new Thread(() -> {
            if ((framework.getState() & (Bundle.ACTIVE | Bundle.STARTING)) != 0) {
                signalled = true;
                messages.info("stopping (signal)");
                // Say "stopped" here: the JVM halts once the hooks are done, so the main thread,
                // woken by the same stop, may never get to print it.
                if (stopAndWait()) {
                    messages.info("stopped");
                }
            }
        }, "aioloop-shutdown");
        return hook;
    }
}
