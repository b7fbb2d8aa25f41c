package org.aioloop.dist;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed command line of {@code bin/aioloop}. Parsing has no side effects; every mistake is a
 * {@link UsageException} naming the offending argument.
 */
public final class LauncherOptions {
    /** The usage text printed by {@code --help} and after a usage error. */
    public static final String USAGE = String.join(System.lineSeparator(),
            "Usage: aioloop [options]",
            "  -c, --command CMDS  run Gogo commands (separated by ';' or newlines), then stop and exit;",
            "                      may be repeated",
            "  -s, --script        read commands from stdin, then stop and exit",
            "                      (the default when stdin is not a terminal)",
            "  -i, --interactive   the Gogo console (the default on a terminal)",
            "  -d, --daemon        no console: run until SIGTERM, Ctrl-C or 'stop 0'",
            "  -q, --quiet         no informational lines on stderr (errors are still printed)",
            "      --home DIR      the distribution directory (default: the parent of lib/)",
            "      --bundles DIR   bundles installed at start-up (default HOME/bundles)",
            "      --etc DIR       configuration files, *.cfg (default HOME/etc)",
            "      --deploy DIR    hot-deploy folder (default HOME/deploy)",
            "      --cache DIR     the Felix bundle cache, emptied at every start (default HOME/felix-cache)",
            "  -Dkey=value         set a framework property (felix.*, gosh.*, ds.*, ...)",
            "  -h, --help          print this text",
            "Exit status: 0 ok, 1 a command failed, 2 usage error, 3 start-up error.");

    private final LaunchMode mode;
    private final String commands;
    private final boolean quiet;
    private final boolean help;
    private final Path home;
    private final Path bundles;
    private final Path etc;
    private final Path deploy;
    private final Path cache;
    private final Map<String, String> properties;

    private LauncherOptions(Builder b) {
        this.mode = b.mode;
        this.commands = b.commands.isEmpty() ? null : String.join("\n", b.commands);
        this.quiet = b.quiet;
        this.help = b.help;
        this.home = b.home;
        this.bundles = b.bundles;
        this.etc = b.etc;
        this.deploy = b.deploy;
        this.cache = b.cache;
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(b.properties));
    }

    /**
     * Parses the command line.
     *
     * @param args             the arguments of {@code main}
     * @param stdinIsTerminal  whether stdin is a terminal; decides the mode when none is given
     * @return the options
     * @throws UsageException  on an unknown option, a missing value or two conflicting modes
     */
    public static LauncherOptions parse(String[] args, boolean stdinIsTerminal) throws UsageException {
        Builder b = new Builder();
        LaunchMode explicit = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-c":
                case "--command":
                    b.commands.add(value(args, ++i, arg));
                    explicit = mode(explicit, LaunchMode.SCRIPT, arg);
                    break;
                case "-s":
                case "--script":
                    explicit = mode(explicit, LaunchMode.SCRIPT, arg);
                    break;
                case "-i":
                case "--interactive":
                    explicit = mode(explicit, LaunchMode.INTERACTIVE, arg);
                    break;
                case "-d":
                case "--daemon":
                    explicit = mode(explicit, LaunchMode.DAEMON, arg);
                    break;
                case "-q":
                case "--quiet":
                    b.quiet = true;
                    break;
                case "-h":
                case "--help":
                    b.help = true;
                    break;
                case "--home":
                    b.home = Path.of(value(args, ++i, arg));
                    break;
                case "--bundles":
                    b.bundles = Path.of(value(args, ++i, arg));
                    break;
                case "--etc":
                    b.etc = Path.of(value(args, ++i, arg));
                    break;
                case "--deploy":
                    b.deploy = Path.of(value(args, ++i, arg));
                    break;
                case "--cache":
                    b.cache = Path.of(value(args, ++i, arg));
                    break;
                default:
                    if (arg.startsWith("-D")) {
                        property(b.properties, arg);
                    } else {
                        throw new UsageException("unknown argument '" + arg + "'");
                    }
            }
        }
        if (explicit == LaunchMode.INTERACTIVE && !b.commands.isEmpty()) {
            throw new UsageException("-c/--command cannot be combined with --interactive");
        }
        b.mode = explicit != null ? explicit : stdinIsTerminal ? LaunchMode.INTERACTIVE : LaunchMode.SCRIPT;
        return new LauncherOptions(b);
    }

    private static String value(String[] args, int i, String option) throws UsageException {
        if (i >= args.length || args[i].isEmpty()) {
            throw new UsageException("option " + option + " needs a value");
        }
        return args[i];
    }

    private static LaunchMode mode(LaunchMode current, LaunchMode wanted, String option) throws UsageException {
        if (current != null && current != wanted) {
            throw new UsageException("option " + option + " conflicts with the " + current.name().toLowerCase()
                    + " mode chosen before it");
        }
        return wanted;
    }

    private static void property(Map<String, String> into, String arg) throws UsageException {
        String kv = arg.substring(2);
        int eq = kv.indexOf('=');
        String key = eq < 0 ? kv : kv.substring(0, eq);
        if (key.isEmpty()) {
            throw new UsageException("'" + arg + "' names no property; write -Dkey=value");
        }
        into.put(key, eq < 0 ? "" : kv.substring(eq + 1));
    }

    /** @return how to interact once started */
    public LaunchMode mode() {
        return mode;
    }

    /** @return the commands given with {@code -c} (joined by newlines), or null to read stdin */
    public String commands() {
        return commands;
    }

    /** @return whether informational lines are suppressed */
    public boolean quiet() {
        return quiet;
    }

    /** @return whether only the usage text is wanted */
    public boolean help() {
        return help;
    }

    /** @return {@code --home}, or null for the default */
    public Path home() {
        return home;
    }

    /** @return {@code --bundles}, or null for the default */
    public Path bundles() {
        return bundles;
    }

    /** @return {@code --etc}, or null for the default */
    public Path etc() {
        return etc;
    }

    /** @return {@code --deploy}, or null for the default */
    public Path deploy() {
        return deploy;
    }

    /** @return {@code --cache}, or null for the default */
    public Path cache() {
        return cache;
    }

    /** @return the {@code -D} framework properties, in command-line order */
    public Map<String, String> properties() {
        return properties;
    }

    private static final class Builder {
        LaunchMode mode;
        final List<String> commands = new ArrayList<>();
        boolean quiet;
        boolean help;
        Path home;
        Path bundles;
        Path etc;
        Path deploy;
        Path cache;
        final Map<String, String> properties = new LinkedHashMap<>();
    }
}
