/**
 * The {@code "epoll"} fd-monitoring backend: level-triggered, over {@code epoll(7)}, with nanosecond
 * timeouts ({@code epoll_pwait2}, or {@code ppoll} on the epoll fd). Published as a Declarative
 * Services component and a {@link java.util.ServiceLoader} provider.
 */
module org.aioloop.backend.epoll {
    requires org.aioloop.posix;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.annotation.versioning;

    provides org.aioloop.api.backend.PollBackend with org.aioloop.backend.epoll.EpollBackend;
}
