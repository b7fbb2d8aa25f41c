package org.aioloop.api.host;

import org.aioloop.api.PollParams;

/**
 * An IOThread as a host reports it.
 *
 * @param name       its name (also its context's name)
 * @param threadName the Java thread's name
 * @param params     its busy-polling parameters
 * @param poolMin    minimum pool threads
 * @param poolMax    maximum pool threads
 * @param backend    the backend its context is on
 */
public record IOThreadInfo(String name, String threadName, PollParams params, int poolMin, int poolMax,
        String backend) {
}
