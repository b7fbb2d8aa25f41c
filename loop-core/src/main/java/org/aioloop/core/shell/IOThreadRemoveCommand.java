package org.aioloop.core.shell;

import java.util.List;

import org.aioloop.api.AioException;
import org.aioloop.api.host.LoopHost;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code aio:iothread-remove <name>}: stops an IOThread (its devices are detached first). A Gogo
 * {@link Function} because a dashed name cannot be a method name.
 */
@Component(service = Function.class, property = {
        "osgi.command.scope=aio",
        "osgi.command.function=iothread-remove"
})
public final class IOThreadRemoveCommand implements Function {
    private final HostReports reports;

    /**
     * @param host the host to remove the IOThread from
     */
    @Activate
    public IOThreadRemoveCommand(@Reference LoopHost host) {
        this.reports = new HostReports(host);
    }

    @Override
    public Object execute(CommandSession session, List<Object> arguments) {
        if (arguments.size() != 1) {
            throw new AioException("usage: aio:iothread-remove <name>");
        }
        return reports.removeIOThread(String.valueOf(arguments.get(0)));
    }
}
