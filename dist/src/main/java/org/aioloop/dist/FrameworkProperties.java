package org.aioloop.dist;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The launch properties of the embedded Felix: cache, FileInstall folders, Gogo mode and the
 * paths the host's bundles may read. Precedence, lowest first: these defaults, then JVM system
 * properties with a framework prefix ({@code -Dfelix.fileinstall.poll=500} in {@code JAVA_OPTS}),
 * then {@code -D} options given to the launcher itself.
 */
public final class FrameworkProperties {
    /** Framework property naming the distribution directory, for bundles that need it. */
    public static final String HOME = "aioloop.home";
    /** Framework property: the owner-only run directory; devices resolve relative socket paths against it. */
    public static final String RUN_DIR = "aioloop.run.dir";
    /** Framework property naming the configuration directory. */
    public static final String ETC = "aioloop.etc";
    /** Framework property naming the hot-deploy directory. */
    public static final String DEPLOY = "aioloop.deploy";

    /** System-property prefixes copied into the framework properties. */
    static final List<String> FORWARDED_PREFIXES = List.of(
            "org.osgi.", "felix.", "gosh.", "ds.", "aioloop.", "org.apache.felix.", "jna.");

    private FrameworkProperties() {
    }

    /**
     * Builds the framework properties.
     *
     * @param layout    the distribution's directories
     * @param mode      how the launcher interacts, which decides the Gogo shell's arguments
     * @param system    the JVM system properties
     * @param overrides the launcher's {@code -D} options
     * @return a new mutable map
     */
    public static Map<String, String> build(HostLayout layout, LaunchMode mode, Properties system,
            Map<String, String> overrides) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("org.osgi.framework.storage", layout.cache().toString());
        // A clean cache at every start: bundles/ and deploy/ are the truth, never a stale cache.
        p.put("org.osgi.framework.storage.clean", "onFirstInit");

        // FileInstall watches both folders; a comma list makes one watcher per directory.
        p.put("felix.fileinstall.dir", layout.etc() + "," + layout.deploy());
        p.put("felix.fileinstall.poll", "1000");
        p.put("felix.fileinstall.noInitialDelay", "true");
        p.put("felix.fileinstall.filter", ".*\\.(jar|cfg|config)");
        // etc/ belongs to the operator: run-time changes stay in ConfigAdmin, files are not rewritten.
        // (Set explicitly: when absent FileInstall falls back to disableConfigSave with the same polarity.)
        p.put("felix.fileinstall.enableConfigSave", "false");
        p.put("felix.fileinstall.log.level", "2");

        // Interactive: the console without Gogo's banner (the launcher prints its own line).
        // Script and daemon: the shell bundle provides its commands but no console; the launcher
        // runs scripts itself, so a failing command can never leave the host hanging.
        p.put("gosh.args", mode == LaunchMode.INTERACTIVE ? "-q" : "--nointeractive");

        p.put(HOME, layout.home().toString());
        p.put(RUN_DIR, layout.run().toString());
        p.put(ETC, layout.etc().toString());
        p.put(DEPLOY, layout.deploy().toString());

        for (String key : system.stringPropertyNames()) {
            for (String prefix : FORWARDED_PREFIXES) {
                if (key.startsWith(prefix)) {
                    p.put(key, system.getProperty(key));
                    break;
                }
            }
        }
        p.putAll(overrides);
        return p;
    }
}
