package org.aioloop.core.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Metatype description of one IOThread (factory PID {@code org.aioloop.iothread}; QEMU's
 * {@code -object iothread,id=...,poll-max-ns=...}). Validated by
 * {@link org.aioloop.core.host.IOThreadConfig#parse}.
 */
@ObjectClassDefinition(id = "org.aioloop.iothread", name = "aioloop IOThread",
        description = "A thread running its own AioContext with adaptive busy polling and a thread pool.")
@interface IOThreadConfigDefinition {
    /**
     * @return the name
     */
    @AttributeDefinition(name = "Name", description = "The IOThread's name, also its context's name (devices name it).")
    String name();

    /**
     * @return poll-max-ns
     */
    @AttributeDefinition(name = "poll-max-ns", min = "0", description = "Longest busy-poll before waiting in the kernel; 0 = off.")
    long poll$_$max$_$ns() default 32768;

    /**
     * @return poll-grow
     */
    @AttributeDefinition(name = "poll-grow", min = "0", description = "Polling window growth factor; 0 = default (2).")
    long poll$_$grow() default 0;

    /**
     * @return poll-shrink
     */
    @AttributeDefinition(name = "poll-shrink", min = "0", description = "Polling window shrink divisor; 0 = reset to 0.")
    long poll$_$shrink() default 0;

    /**
     * @return thread-pool-min
     */
    @AttributeDefinition(name = "thread-pool-min", min = "0")
    int thread$_$pool$_$min() default 0;

    /**
     * @return thread-pool-max
     */
    @AttributeDefinition(name = "thread-pool-max", min = "1")
    int thread$_$pool$_$max() default 64;
}
