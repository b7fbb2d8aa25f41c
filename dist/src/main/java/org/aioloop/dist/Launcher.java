package org.aioloop.dist;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * The aioloop host: embeds Apache Felix (found through {@link ServiceLoader}), installs and starts
 * every jar of {@code bundles/} (the Gogo shell last), lets FileInstall feed {@code etc/*.cfg} to
 * ConfigAdmin and hot-deploy {@code deploy/}, then gives the user the Gogo console, runs a script,
 * or just runs (see {@link LaunchMode}). Ctrl-C, SIGTERM and {@code stop 0} stop it cleanly.
 */
public final class Launcher {
    /** System property the start script sets to say whether stdin is a terminal. */
    public static final String STDIN_TTY_PROPERTY = "aioloop.stdin.tty";
    private static final String JUL_FORMAT_PROPERTY = "java.util.logging.SimpleFormatter.format";

    /** System property the start script sets to its start time, in epoch nanoseconds. */
    public static final String START_NANOS_PROPERTY = "aioloop.start.nanos";
    /** System property: seconds the framework gets to stop (default 10). */
    public static final String STOP_TIMEOUT_PROPERTY = "aioloop.stop.timeout";

    private final LauncherOptions options;
    private final HostLayout layout;
    private final Messages messages;
    private final Instant started;
    /** The cache lock's channel, static so it stays reachable (and locked) until the JVM ends. */
    private static volatile FileChannel cacheLock;

    Launcher(LauncherOptions options, HostLayout layout, Messages messages, Instant started) {
        this.options = options;
        this.layout = layout;
        this.messages = messages;
        this.started = started;
    }

    /**
     * Entry point of {@code bin/aioloop}; see {@link LauncherOptions#USAGE}.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        Instant started = startInstant();
        oneLineJulRecords();
        int status;
        try {
            LauncherOptions options = LauncherOptions.parse(args, stdinIsTerminal());
            if (options.help()) {
                System.out.println(LauncherOptions.USAGE);
                System.exit(ExitStatus.OK);
            }
            Messages messages = new Messages(System.err, options.quiet());
            status = new Launcher(options, HostLayout.resolve(options), messages, started).run();
        } catch (UsageException e) {
            System.err.println("aioloop: " + e.getMessage());
            System.err.println(LauncherOptions.USAGE);
            status = e.exitStatus();
        } catch (LaunchException e) {
            System.err.println("aioloop: " + e.getMessage());
            status = e.exitStatus();
        }
        System.exit(status);
    }

    /**
     * When the user started the host: the start script's clock reading, else the JVM's start
     * (both millisecond-accurate; ProcessHandle's start time is only accurate to the second).
     */
    private static Instant startInstant() {
        try {
            long nanos = Long.parseLong(System.getProperty(START_NANOS_PROPERTY, ""));
            return Instant.ofEpochSecond(0, nanos);
        } catch (NumberFormatException e) {
            return Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime());
        }
    }

    /**
     * Bundles that log through java.util.logging (the core does) get one line per record on stderr
     * instead of the JDK's two-line default. A user's own format (a system property) wins.
     */
    private static void oneLineJulRecords() {
        if (System.getProperty(JUL_FORMAT_PROPERTY) == null) {
            System.setProperty(JUL_FORMAT_PROPERTY, "%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
    }

    private static boolean stdinIsTerminal() {
        String told = System.getProperty(STDIN_TTY_PROPERTY);
        return told != null ? Boolean.parseBoolean(told) : System.console() != null;
    }

    /**
     * Starts the host and runs it in the chosen mode.
     *
     * @return the process exit status
     * @throws LaunchException if the host cannot start at all
     */
    int run() throws LaunchException {
        List<Path> jars = layout.checkAndListBundles();
        Map<String, String> props = FrameworkProperties.build(layout, options.mode(), System.getProperties(),
                options.properties());
        cacheLock = CacheLock.acquire(layout.cache());
        Framework framework = newFramework(props);
        FrameworkStopper stopper = new FrameworkStopper(framework, stopTimeout(), messages);
        try {
            framework.init();
        } catch (BundleException | RuntimeException e) {
            throw new LaunchException("the OSGi framework failed to initialise (cache " + layout.cache() + "): "
                    + BundleStarter.reason(e), e);
        }
        Thread hook = stopper.asShutdownHook();
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            framework.getBundleContext().addBundleListener(new DeployReporter(layout.deploy(), messages));
            BundleStarter starter = new BundleStarter(framework.getBundleContext());
            starter.installAll(jars);
            framework.start();
            starter.startAllButShell();
            if (options.mode() == LaunchMode.INTERACTIVE && !starter.hasShell()) {
                throw new LaunchException("no Gogo shell (" + BundleStarter.GOGO_SHELL + ") in " + layout.bundles()
                        + ": the interactive console is unavailable; use --daemon or add the bundle");
            }
            // Last, so a console or script only runs once everything else is up (recipe pitfall 8).
            // Its console thread first loads its profile, so the report below precedes the prompt.
            starter.startShell();
            boolean failed = report(starter);
            int status = interact(framework, stopper);
            return status == ExitStatus.OK && failed ? ExitStatus.STARTUP_FAILED : status;
        } catch (LaunchException e) {
            stopper.stopAndWait();
            throw e;
        } catch (BundleException | RuntimeException e) {
            stopper.stopAndWait();
            throw new LaunchException("the OSGi framework failed to start: " + BundleStarter.reason(e), e);
        } finally {
            removeHook(hook);
        }
    }

    private int interact(Framework framework, FrameworkStopper stopper) throws LaunchException {
        if (options.mode() == LaunchMode.SCRIPT) {
            PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, Charset.defaultCharset());
            GogoScriptRunner runner = new GogoScriptRunner(framework.getBundleContext(), out,
                    new FileOutputStream(FileDescriptor.err), messages);
            int status;
            if (options.commands() != null) {
                status = runner.runScript(options.commands());
            } else {
                status = runner.runLines(new BufferedReader(new InputStreamReader(
                        new FileInputStream(FileDescriptor.in), Charset.defaultCharset())));
            }
            stopper.stopAndWait();
            return status;
        }
        try {
            FrameworkEvent event = framework.waitForStop(0);
            if (event.getType() == FrameworkEvent.ERROR) {
                messages.error("the framework stopped with an error: " + BundleStarter.reason(event.getThrowable()));
                return ExitStatus.STARTUP_FAILED;
            }
            if (!stopper.signalled()) {
                messages.info("stopped"); // after a signal the shutdown hook says it
            }
            return ExitStatus.OK;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopper.stopAndWait();
            return ExitStatus.OK;
        }
    }

    /** Prints the failures and the start-up line; returns whether anything failed. */
    private boolean report(BundleStarter starter) {
        for (BundleFailure f : starter.failures()) {
            messages.error(f.describe());
        }
        double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
        String line = String.format(Locale.ROOT, "%d bundles active in %.2f s", starter.activeCount(), seconds);
        if (!starter.failures().isEmpty()) {
            messages.error(line + "; " + starter.failures().size() + " failed (see above)");
        } else {
            messages.info(line + (options.mode() == LaunchMode.INTERACTIVE
                    ? "; Gogo shell: type 'help', 'lb', or 'stop 0' to quit" : ""));
        }
        return !starter.failures().isEmpty();
    }

    private static Framework newFramework(Map<String, String> props) throws LaunchException {
        Iterator<FrameworkFactory> factories = ServiceLoader.load(FrameworkFactory.class).iterator();
        if (!factories.hasNext()) {
            throw new LaunchException("no OSGi framework on the class path (META-INF/services/"
                    + FrameworkFactory.class.getName() + " missing): the launcher jar is broken, rebuild it");
        }
        return factories.next().newFramework(props);
    }

    private static Duration stopTimeout() {
        try {
            return Duration.ofSeconds(Long.parseLong(System.getProperty(STOP_TIMEOUT_PROPERTY, "10")));
        } catch (NumberFormatException e) {
            return Duration.ofSeconds(10);
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down (a signal): the hook is doing the stopping
        }
    }
}
