package org.aioloop.core.shell;

import org.aioloop.api.host.LoopHost;
import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@code aio:} Gogo commands. Every command returns its text (Gogo prints returned values; see
 * the build recipe's pitfall about {@code -c}: use {@code echo (aio:contexts)} in scripts). Errors
 * are thrown as {@link org.aioloop.api.AioException}s whose message says what was wrong.
 *
 * <p>{@code switch} is a Java keyword: Gogo looks for a method named {@code _switch} in that case.
 * The dashed commands ({@code iothread-add}, {@code iothread-remove}) cannot be method names and are
 * separate services ({@link IOThreadAddCommand}, {@link IOThreadRemoveCommand}).
 */
@Component(service = AioCommands.class, property = {
        "osgi.command.scope=aio",
        "osgi.command.function=contexts",
        "osgi.command.function=show",
        "osgi.command.function=handlers",
        "osgi.command.function=bhs",
        "osgi.command.function=timers",
        "osgi.command.function=backends",
        "osgi.command.function=devices",
        "osgi.command.function=iothreads",
        "osgi.command.function=stats",
        "osgi.command.function=switch"
})
public final class AioCommands {
    private final HostReports reports;

    /**
     * @param host the host the commands inspect and steer
     */
    @Activate
    public AioCommands(@Reference LoopHost host) {
        this.reports = new HostReports(host);
    }

    /**
     * @return the contexts
     */
    @Descriptor("list contexts: home thread, backend, iterations, dispatches")
    public String contexts() {
        return reports.contexts();
    }

    /**
     * @param context a context name
     * @return its handlers, bottom halves and timers
     */
    @Descriptor("show a context's fd handlers, bottom halves and timers")
    public String show(@Descriptor("context name") String context) {
        return reports.show(context);
    }

    /**
     * @param context a context name
     * @return its fd handlers
     */
    @Descriptor("list a context's fd handlers")
    public String handlers(@Descriptor("context name") String context) {
        return reports.handlers(context);
    }

    /**
     * @param context a context name
     * @return its bottom halves
     */
    @Descriptor("list a context's bottom halves")
    public String bhs(@Descriptor("context name") String context) {
        return reports.bottomHalves(context);
    }

    /**
     * @param context a context name
     * @return its timers
     */
    @Descriptor("list a context's armed timers")
    public String timers(@Descriptor("context name") String context) {
        return reports.timers(context);
    }

    /**
     * @return the backends
     */
    @Descriptor("list poll backends: rank, availability, contexts using them")
    public String backends() {
        return reports.backends();
    }

    /**
     * @return the devices
     */
    @Descriptor("list devices: context, state, resources, leaks, failure")
    public String devices() {
        return reports.devices();
    }

    /**
     * @return the IOThreads
     */
    @Descriptor("list IOThreads and their polling and pool parameters")
    public String iothreads() {
        return reports.iothreads();
    }

    /**
     * @return the counters of every context and device
     */
    @Descriptor("counters of all contexts and devices")
    public String stats() {
        return reports.stats(null);
    }

    /**
     * @param context a context name
     * @return the counters of that context and its devices
     */
    @Descriptor("counters of one context and its devices")
    public String stats(@Descriptor("context name") String context) {
        return reports.stats(context);
    }

    /**
     * {@code aio:switch <backend>}: switches every context.
     *
     * @param backend a backend name or {@code auto}
     * @return one line per context
     */
    @Descriptor("switch every context to a backend (or 'auto')")
    public String _switch(@Descriptor("backend name or auto") String backend) {
        return reports.switchBackend(backend, null);
    }

    /**
     * {@code aio:switch <backend> <context>}: switches one context.
     *
     * @param backend a backend name or {@code auto}
     * @param context a context name
     * @return one line
     */
    @Descriptor("switch one context to a backend (or 'auto')")
    public String _switch(@Descriptor("backend name or auto") String backend,
            @Descriptor("context name") String context) {
        return reports.switchBackend(backend, context);
    }
}
