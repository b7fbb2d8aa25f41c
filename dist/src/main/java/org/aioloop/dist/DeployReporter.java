package org.aioloop.dist;

import java.nio.file.Path;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.SynchronousBundleListener;

/**
 * Tells the user what the hot folder did: FileInstall installs, updates and uninstalls the jars of
 * {@code deploy/} quietly, so the launcher reports each started, stopped and uninstalled bundle
 * that came from there.
 */
final class DeployReporter implements SynchronousBundleListener {
    private final String deployUri;
    private final String deployPath;
    private final Messages messages;

    DeployReporter(Path deploy, Messages messages) {
        String uri = deploy.toUri().toString();
        this.deployUri = uri.endsWith("/") ? uri : uri + "/"; // toUri() adds the slash only for existing dirs
        this.deployPath = deploy.toString();
        this.messages = messages;
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        Bundle b = event.getBundle();
        if (!fromDeploy(b.getLocation())) {
            return;
        }
        String what;
        switch (event.getType()) {
            case BundleEvent.STARTED: what = "started"; break;
            case BundleEvent.STOPPED: what = "stopped"; break;
            case BundleEvent.UPDATED: what = "updated"; break;
            case BundleEvent.UNINSTALLED: what = "uninstalled"; break;
            default: return;
        }
        messages.info("deploy: " + what + " " + BundleStarter.name(b));
    }

    boolean fromDeploy(String location) {
        return location.startsWith(deployUri) || location.contains(deployPath + "/");
    }
}
