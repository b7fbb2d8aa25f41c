/**
 * The {@code "poll"} fd-monitoring backend: level-triggered, over {@code ppoll(2)} with nanosecond
 * timeouts. Published as a Declarative Services component and a {@link java.util.ServiceLoader}
 * provider.
 */
module org.aioloop.backend.poll {
    requires org.aioloop.posix;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.versioning;

    provides org.aioloop.api.backend.PollBackend with org.aioloop.backend.poll.PpollBackend;
}
