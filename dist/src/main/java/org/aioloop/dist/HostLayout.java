package org.aioloop.dist;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The directories of a distribution: {@code bundles/} (installed at start), {@code etc/} (config
 * files FileInstall feeds to ConfigAdmin), {@code deploy/} (the hot folder), {@code run/} (owner-only
 * run-time files such as the monitor's Unix socket) and the Felix cache.
 */
public final class HostLayout {
    /** System property the start script sets to the distribution directory. */
    public static final String HOME_PROPERTY = "aioloop.home";

    private final Path home;
    private final Path bundles;
    private final Path etc;
    private final Path deploy;
    private final Path cache;
    private final Path run;

    HostLayout(Path home, Path bundles, Path etc, Path deploy, Path cache) {
        this.home = home;
        this.bundles = bundles;
        this.etc = etc;
        this.deploy = deploy;
        this.cache = cache;
        this.run = home.resolve("run");
    }

    /**
     * Resolves the directories: each option if given, else below the home directory, which is
     * {@code --home}, else the {@value #HOME_PROPERTY} system property, else the parent of the
     * directory holding the launcher jar ({@code lib/..}).
     *
     * @param options the command line
     * @return the layout, with absolute paths
     * @throws LaunchException if no home directory can be found
     */
    public static HostLayout resolve(LauncherOptions options) throws LaunchException {
        Path home = options.home();
        if (home == null && System.getProperty(HOME_PROPERTY) != null) {
            home = Path.of(System.getProperty(HOME_PROPERTY));
        }
        if (home == null) {
            home = homeFromLauncherJar();
        }
        home = home.toAbsolutePath().normalize();
        return new HostLayout(home,
                orDefault(options.bundles(), home.resolve("bundles")),
                orDefault(options.etc(), home.resolve("etc")),
                orDefault(options.deploy(), home.resolve("deploy")),
                orDefault(options.cache(), home.resolve("felix-cache")));
    }

    private static Path orDefault(Path given, Path fallback) {
        return (given != null ? given : fallback).toAbsolutePath().normalize();
    }

    private static Path homeFromLauncherJar() throws LaunchException {
        CodeSource source = HostLayout.class.getProtectionDomain().getCodeSource();
        try {
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            if (jar != null && Files.isRegularFile(jar) && jar.getParent() != null
                    && jar.getParent().getParent() != null) {
                return jar.getParent().getParent();
            }
        } catch (URISyntaxException | IllegalArgumentException e) {
            // fall through to the error below
        }
        throw new LaunchException("cannot tell where the distribution is: start it with bin/aioloop, or pass --home DIR");
    }

    /**
     * Checks the layout before anything starts: {@code bundles/} must exist and hold jars;
     * {@code etc/} and {@code deploy/} are created when missing (both are watched folders).
     *
     * @return the bundle jars, sorted by file name
     * @throws LaunchException naming the directory at fault and what to do
     */
    public List<Path> checkAndListBundles() throws LaunchException {
        if (!Files.isDirectory(bundles)) {
            throw new LaunchException("no bundles directory at " + bundles
                    + ": the distribution is incomplete (build it with 'mvn -B package -DskipTests', or pass --bundles DIR)");
        }
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> files = Files.list(bundles)) {
            files.filter(p -> p.getFileName().toString().endsWith(".jar") && Files.isRegularFile(p))
                    .sorted()
                    .forEach(jars::add);
        } catch (IOException e) {
            throw new LaunchException("cannot read the bundles directory " + bundles + ": " + e, e);
        }
        if (jars.isEmpty()) {
            throw new LaunchException("the bundles directory " + bundles + " holds no *.jar: nothing to start");
        }
        createIfMissing(etc, "configuration");
        createIfMissing(deploy, "hot-deploy");
        createOwnerOnly(run, "run-time");
        return jars;
    }

    private static void createIfMissing(Path dir, String what) throws LaunchException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LaunchException("cannot create the " + what + " directory " + dir + ": " + e, e);
        }
    }

    // Unix sockets of devices (the monitor's among them) live here: only the owner may reach them.
    private static void createOwnerOnly(Path dir, String what) throws LaunchException {
        createIfMissing(dir, what);
        try {
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        } catch (IOException | UnsupportedOperationException e) {
            throw new LaunchException("cannot make the " + what + " directory " + dir + " owner-only: " + e, e);
        }
    }

    /** @return the owner-only directory for run-time files (Unix sockets) */
    public Path run() {
        return run;
    }

    /** @return the distribution directory */
    public Path home() {
        return home;
    }

    /** @return the bundles installed at start-up */
    public Path bundles() {
        return bundles;
    }

    /** @return the configuration directory */
    public Path etc() {
        return etc;
    }

    /** @return the hot-deploy directory */
    public Path deploy() {
        return deploy;
    }

    /** @return the Felix cache directory */
    public Path cache() {
        return cache;
    }
}
