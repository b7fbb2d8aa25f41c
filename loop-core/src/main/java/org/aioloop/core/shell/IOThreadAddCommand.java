package org.aioloop.core.shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.aioloop.api.AioException;
import org.aioloop.api.host.LoopHost;
import org.aioloop.core.host.IOThreadConfig;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:iothread-add <name> [key=value ...]}: starts an IOThread. Keys are those of the
 * {@code org.aioloop.iothread} configuration ({@code poll-max-ns}, {@code poll-grow},
 * {@code poll-shrink}, {@code thread-pool-min}, {@code thread-pool-max}) and are validated the same
 * way. A Gogo {@link Function} because a dashed name cannot be a method name.
 */
@Component(service = Function.class, property = {
        "osgi.command.scope=aio",
        "osgi.command.function=iothread-add"
})
public final class IOThreadAddCommand implements Function {
    private final HostReports reports;

    /**
     * @param host the host to add the IOThread to
     */
    @Activate
    public IOThreadAddCommand(@Reference LoopHost host) {
        this.reports = new HostReports(host);
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        return run(reports, arguments);
    }

    /**
     * @param reports   the host's reports
     * @param arguments the command line after the command name
     * @return the confirmation
     * @throws AioException with a usage line, or naming the bad key and value
     */
    static String run(HostReports reports, List<?> arguments) {
        if (arguments.isEmpty()) {
            throw new AioException("usage: aio:iothread-add <name> [poll-max-ns=N] [poll-grow=N] [poll-shrink=N]"
                    + " [thread-pool-min=N] [thread-pool-max=N]");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(IOThreadConfig.NAME, String.valueOf(arguments.get(0)));
        for (Object a : arguments.subList(1, arguments.size())) {
            String s = String.valueOf(a);
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new AioException("expected key=value, got '" + s + "'");
            }
            String key = s.substring(0, eq);
            if (!List.of(IOThreadConfig.POLL_MAX_NS, IOThreadConfig.POLL_GROW, IOThreadConfig.POLL_SHRINK,
                    IOThreadConfig.THREAD_POOL_MIN, IOThreadConfig.THREAD_POOL_MAX).contains(key)) {
                throw new AioException("unknown key '" + key + "' (known: poll-max-ns, poll-grow, poll-shrink,"
                        + " thread-pool-min, thread-pool-max)");
            }
            props.put(key, s.substring(eq + 1));
        }
        IOThreadConfig cfg = IOThreadConfig.parse(props);
        return reports.addIOThread(cfg.name(), cfg.params(), cfg.poolMin(), cfg.poolMax());
    }
}
