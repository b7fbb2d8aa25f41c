package org.aioloop.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of the host's configuration (PID {@code org.aioloop.core}), so consoles and
 * tools can render and check it. The component itself reads the raw dictionary and validates it with
 * {@link org.aioloop.core.host.HostConfig#parse}, which names a bad key and value instead of silently
 * coercing it.
 */
@ObjectClassDefinition(id = "org.aioloop.core", name = "aioloop host",
        description = "The event-loop host: backend choice, QEMU's poll->epoll upgrade, the main context's pool.")
@interface HostConfigDefinition {
    /**
     * @return the backend
     */
    @AttributeDefinition(name = "Backend",
            description = "'auto' for the highest-ranked available backend, or a backend name such as 'poll' or 'epoll'.")
    String backend() default "auto";

    /**
     * @return the upgrade threshold
     */
    @AttributeDefinition(name = "epoll upgrade threshold", min = "0",
            description = "A context on 'poll' moves to 'epoll' once it monitors this many fds (QEMU: 64); 0 = never.")
    int epoll_upgrade_threshold() default 64;

    /**
     * @return thread-pool-min
     */
    @AttributeDefinition(name = "Main pool minimum threads", min = "0")
    int thread$_$pool$_$min() default 0;

    /**
     * @return thread-pool-max
     */
    @AttributeDefinition(name = "Main pool maximum threads", min = "1")
    int thread$_$pool$_$max() default 64;

    /**
     * @return device.detach.timeout.ms
     */
    @AttributeDefinition(name = "Device detach timeout (ms)", min = "1",
            description = "How long a departing device may take to detach on its home thread.")
    long device_detach_timeout_ms() default 5000;
}
