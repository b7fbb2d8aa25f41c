package org.aioloop.api.host;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.aioloop.api.AioContext;
import org.aioloop.api.ClockSource;
import org.aioloop.api.MainLoop;
import org.aioloop.api.PollParams;
import org.aioloop.api.device.DeviceInfo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A running aioloop host, published as a service by the core: the main loop, its contexts, the
 * backends, IOThreads and devices. All methods are safe from any thread.
 */
@ProviderType
public interface LoopHost {
    /**
     * @return the main loop
     */
    MainLoop mainLoop();

    /**
     * @return every context: main, iohandler and each IOThread's
     */
    List<AioContext> contexts();

    /**
     * @param name a context name
     * @return the context, or null
     */
    AioContext context(String name);

    /**
     * @return the clocks shared by all contexts (stop/resume VIRTUAL here)
     */
    ClockSource clocks();

    /**
     * @return every known backend with its availability and users
     */
    List<BackendInfo> backends();

    /**
     * Switches one context, or all when {@code contextName} is null, to a backend; the choice
     * sticks (it becomes the configured backend of those contexts).
     *
     * @param contextName a context name, or null for all
     * @param backend     a backend name, or {@code "auto"} for the best available
     * @return completes with one line per context saying what it is on now
     */
    CompletableFuture<List<String>> switchBackend(String contextName, String backend);

    /**
     * @return the running IOThreads
     */
    List<IOThreadInfo> iothreads();

    /**
     * Starts an IOThread.
     *
     * @param name    its unique name
     * @param params  its busy-polling parameters
     * @param poolMin minimum pool threads
     * @param poolMax maximum pool threads
     * @return its context
     * @throws org.aioloop.api.InvalidConfigurationException if the name is taken or a value invalid
     */
    AioContext addIOThread(String name, PollParams params, int poolMin, int poolMax);

    /**
     * Stops an IOThread (its devices are detached first).
     *
     * @param name its name
     * @return whether it existed
     */
    boolean removeIOThread(String name);

    /**
     * @return every device the host knows, attached or not
     */
    List<DeviceInfo> devices();

    /**
     * Asks the host to re-read its configuration (SIGHUP).
     */
    void reloadConfiguration();

    /**
     * Asks the host to shut down cleanly (SIGTERM, the monitor's {@code quit}).
     */
    void shutdown();
}
