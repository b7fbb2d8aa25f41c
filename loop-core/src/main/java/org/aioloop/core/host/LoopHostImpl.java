package org.aioloop.core.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.EventSource;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.MainLoop;
import org.aioloop.api.PollParams;
import org.aioloop.api.SourceHandle;
import org.aioloop.api.backend.PollBackend;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.host.BackendInfo;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.api.host.LoopHost;
import org.aioloop.core.AioContexts;
import org.aioloop.core.BackendRegistry;
import org.aioloop.core.IOThread;
import org.aioloop.core.MainLoops;
import org.aioloop.core.aio.AioContextImpl;
import org.aioloop.core.main.MainContextImpl;
import org.aioloop.core.main.MainLoopImpl;

/**
 * A running host: the main loop on its own thread ({@value #MAIN_THREAD}), the main and iohandler
 * contexts, IOThreads by name, the backends and the devices. Plain Java; the OSGi component wraps it
 * (see {@link LoopHosts} for the plain entry point).
 *
 * <h2>Backends</h2>
 * Each context has a wanted backend: the one last given to {@link #switchBackend} for it (sticky), else
 * the configured one ({@code auto} = the best available). When a backend arrives that a context wants
 * (or that outranks its current one under {@code auto}), the context switches to it live. When a
 * backend leaves, {@link #removeBackend} switches every context still on it to its next choice and
 * waits for that on each home thread (bounded), so the departing bundle's monitor is closed before
 * the call returns. The switch itself is the context's replay (see {@link AioContext#switchBackend}):
 * no registration and no event is lost.
 *
 * <h2>Threads</h2>
 * All methods are safe from any thread. Listeners are called without the host's locks that the loop
 * threads could need.
 */
public final class LoopHostImpl implements LoopHost, DeviceStatsSource, AutoCloseable {
    /** The main loop thread's name. */
    public static final String MAIN_THREAD = "aioloop-main";

    private static final System.Logger LOG = System.getLogger(LoopHostImpl.class.getName());
    private static final long WAIT_SECONDS = 10;

    private final BackendRegistry registry;
    private final ClockSource clocks;
    private final MainLoops.Loop loop;
    private final Thread mainThread;
    private final DeviceManager devices;
    private final Runnable shutdownHook;
    private final Runnable reloadHook;
    private final AutoCloseable registryListener;
    private final CopyOnWriteArrayList<ContextListener> listeners = new CopyOnWriteArrayList<>();
    /** Per-context backend choices made with {@link #switchBackend}; they outlive configuration changes. */
    private final Map<String, String> sticky = new ConcurrentHashMap<>();
    private final Object iothreadLock = new Object();
    private final Map<String, IOThreadEntry> iothreads = new LinkedHashMap<>();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile HostConfig config;
    private volatile boolean closed;

    private static final class IOThreadEntry {
        final IOThread thread;
        volatile IOThreadConfig config;

        IOThreadEntry(IOThread thread, IOThreadConfig config) {
            this.thread = thread;
            this.config = config;
        }
    }

    LoopHostImpl(LoopHosts.Builder b) {
        this.registry = b.registry != null ? b.registry : BackendRegistry.shared();
        this.clocks = b.clocks;
        this.config = b.config;
        this.shutdownHook = b.onShutdown != null ? b.onShutdown : this::closeInBackground;
        this.reloadHook = b.onReload != null ? b.onReload : () -> applyConfig(config);
        this.loop = MainLoops.builder()
                .registry(registry)
                .clocks(clocks)
                .backend(startBackend(b.config.backend()))
                .threadPoolLimits(b.config.threadPoolMin(), b.config.threadPoolMax())
                .epollUpgradeThreshold(b.config.epollUpgradeThreshold())
                .build();
        this.devices = new DeviceManager(this::context, Duration.ofMillis(b.config.detachTimeoutMillis()));
        this.registryListener = registry.addListener(new BackendRegistry.Listener() {
            @Override
            public void added(PollBackend backend) {
                onBackendAdded(backend);
            }
        });
        this.mainThread = new Thread(this::runMainLoop, b.mainThreadName);
        mainThread.start();
        awaitMainLoopRunning();
    }

    private void runMainLoop() {
        try {
            loop.run();
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.ERROR, "the main loop ended abnormally", t);
        }
    }

    /** Makes sure the main loop thread is the home thread of main and iohandler before anyone asks. */
    private void awaitMainLoopRunning() {
        CompletableFuture<Void> running = new CompletableFuture<>();
        loop.aioContext().scheduleOneshot(() -> running.complete(null));
        CompletableFuture<Void> io = new CompletableFuture<>();
        loop.iohandlerContext().scheduleOneshot(() -> io.complete(null));
        try {
            CompletableFuture.allOf(running, io).get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "the main loop did not start within " + WAIT_SECONDS + " s");
        }
    }

    // ---- LoopHost: contexts --------------------------------------------------------------------

    @Override
    public MainLoop mainLoop() {
        return loop;
    }

    @Override
    public List<AioContext> contexts() {
        List<AioContext> out = new ArrayList<>();
        out.add(loop.aioContext());
        out.add(loop.iohandlerContext());
        synchronized (iothreadLock) {
            for (IOThreadEntry e : iothreads.values()) {
                out.add(e.thread.context());
            }
        }
        return out;
    }

    @Override
    public AioContext context(String name) {
        if (AioContext.MAIN.equals(name)) {
            return loop.aioContext();
        }
        if (AioContext.IOHANDLER.equals(name)) {
            return loop.iohandlerContext();
        }
        synchronized (iothreadLock) {
            IOThreadEntry e = iothreads.get(name);
            return e == null ? null : e.thread.context();
        }
    }

    /**
     * @param context a context of this host
     * @return its home thread's name (the main loop thread for main and iohandler)
     */
    public String threadName(AioContext context) {
        Thread t = context.homeThread();
        return t != null ? t.getName() : mainThread.getName();
    }

    @Override
    public ClockSource clocks() {
        return clocks;
    }

    // ---- LoopHost: backends --------------------------------------------------------------------

    @Override
    public List<BackendInfo> backends() {
        List<AioContext> all = contexts();
        List<BackendInfo> out = new ArrayList<>();
        String mainContextBackend = loop instanceof MainLoopImpl impl ? impl.mainContextImpl().backendName() : null;
        for (String name : registry.names()) {
            PollBackend b = registry.byName(name);
            if (b == null) {
                continue;
            }
            List<String> users = new ArrayList<>();
            for (AioContext c : all) {
                if (name.equals(c.backendName())) {
                    users.add(c.name());
                }
            }
            if (name.equals(mainContextBackend)) {
                users.add("main-context");
            }
            String why = b.unavailableReason();
            out.add(new BackendInfo(name, b.rank(), why == null, why, List.copyOf(users)));
        }
        return out;
    }

    /**
     * Adds a backend (an OSGi service arrived); contexts that want it switch to it.
     *
     * @param backend the backend
     */
    public void addBackend(PollBackend backend) {
        registry.add(backend); // the registry listener does the switching
    }

    /**
     * Removes a backend and returns once no context runs on it any more (or the bounded wait is
     * over): each such context switches, on its home thread, to its next choice.
     *
     * @param backend the backend
     */
    public void removeBackend(PollBackend backend) {
        String name = backend.name();
        if (!registry.remove(backend)) {
            return;
        }
        for (AioContext c : contexts()) {
            if (!name.equals(c.backendName()) || c.isClosed()) {
                continue;
            }
            PollBackend next = choice(c.name());
            if (next == null) {
                LOG.log(System.Logger.Level.WARNING, "backend '" + name + "' left and no other is available: context '"
                        + c.name() + "' keeps its monitor until one arrives");
                continue;
            }
            try {
                String now = c.switchBackend(next.name()).get(WAIT_SECONDS, TimeUnit.SECONDS);
                LOG.log(System.Logger.Level.INFO, "backend '" + name + "' left: context '" + c.name() + "' now on " + now);
            } catch (ExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "backend '" + name + "' left: context '" + c.name()
                        + "' could not switch to '" + next.name() + "': " + e.getCause().getMessage());
            } catch (TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "backend '" + name + "' left: context '" + c.name()
                        + "' did not switch within " + WAIT_SECONDS + " s (stuck in a callback?)");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        awaitMainContextLeft(name);
    }

    /**
     * The main loop's own wait set follows the registry by itself (the removal above queued its
     * switch); wait, bounded, until it has left the departing backend, so that backend's monitor is
     * closed before its bundle's classes go.
     */
    private void awaitMainContextLeft(String name) {
        if (!(loop instanceof MainLoopImpl impl)) {
            return;
        }
        MainContextImpl mc = impl.mainContextImpl();
        try {
            String now = mc.registrySwitch().get(WAIT_SECONDS, TimeUnit.SECONDS);
            if (now != null && !name.equals(now)) {
                LOG.log(System.Logger.Level.INFO, "backend '" + name + "' left: the main context now waits on " + now);
            }
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "backend '" + name + "' left: the main context could not follow: "
                    + e.getCause().getMessage());
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "backend '" + name + "' left: the main context did not switch within "
                    + WAIT_SECONDS + " s (stuck in a callback?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public CompletableFuture<List<String>> switchBackend(String contextName, String backend) {
        String wanted;
        try {
            wanted = HostConfig.checkBackend(HostConfig.BACKEND, backend);
        } catch (InvalidConfigurationException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (!HostConfig.AUTO.equals(wanted) && registry.byName(wanted) == null) {
            return CompletableFuture.failedFuture(new BackendUnavailableException(wanted,
                    "not installed (known: " + registry.names() + ")"));
        }
        List<AioContext> targets;
        if (contextName == null) {
            targets = contexts();
        } else {
            AioContext c = context(contextName);
            if (c == null) {
                return CompletableFuture.failedFuture(new AioException("no context '" + contextName + "'"));
            }
            targets = List.of(c);
        }
        List<CompletableFuture<String>> lines = new ArrayList<>();
        for (AioContext c : targets) {
            sticky.put(c.name(), wanted);
            lines.add(switchTo(c, wanted));
        }
        return CompletableFuture.allOf(lines.toArray(CompletableFuture[]::new)).thenApply(v -> {
            List<String> out = new ArrayList<>();
            for (CompletableFuture<String> f : lines) {
                out.add(f.join());
            }
            return out;
        });
    }

    /** Switches one context to {@code wanted} ({@code auto} resolved now); never completes exceptionally. */
    private CompletableFuture<String> switchTo(AioContext c, String wanted) {
        PollBackend target = HostConfig.AUTO.equals(wanted) ? registry.best() : registry.byName(wanted);
        if (target == null) {
            return CompletableFuture.completedFuture(c.name() + ": stays on " + c.backendName()
                    + " (no available backend for '" + wanted + "')");
        }
        return c.switchBackend(target.name()).handle((now, error) -> {
            if (error == null) {
                return c.name() + ": " + now;
            }
            Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return c.name() + ": stays on " + c.backendName() + " (" + cause.getMessage() + ")";
        });
    }

    /** The backend a context should be on now, or null if none is available. */
    private PollBackend choice(String contextName) {
        String wanted = wantedBackend(contextName);
        if (!HostConfig.AUTO.equals(wanted)) {
            PollBackend b = registry.byName(wanted);
            if (b != null && b.isAvailable()) {
                return b;
            }
        }
        return registry.best();
    }

    private String wantedBackend(String contextName) {
        return sticky.getOrDefault(contextName, config.backend());
    }

    private void onBackendAdded(PollBackend backend) {
        if (closed) {
            return;
        }
        for (AioContext c : contexts()) {
            PollBackend next = choice(c.name());
            if (next != null && next.name().equals(backend.name()) && !backend.name().equals(c.backendName())) {
                c.switchBackend(backend.name()).whenComplete((now, error) -> {
                    if (error != null) {
                        LOG.log(System.Logger.Level.WARNING, "backend '" + backend.name() + "' arrived but context '"
                                + c.name() + "' stays on " + c.backendName() + ": " + error.getMessage());
                    } else {
                        LOG.log(System.Logger.Level.INFO, "backend '" + backend.name() + "' arrived: context '"
                                + c.name() + "' now on " + now);
                    }
                });
            }
        }
    }

    private String startBackend(String configured) {
        if (HostConfig.AUTO.equals(configured)) {
            return AioContexts.AUTO;
        }
        PollBackend b = registry.byName(configured);
        if (b == null || !b.isAvailable()) {
            LOG.log(System.Logger.Level.WARNING, "configured backend '" + configured + "' is not available ("
                    + (b == null ? "not installed" : b.unavailableReason()) + "); starting on the best one"
                    + " and switching when it arrives");
            return AioContexts.AUTO;
        }
        return configured;
    }

    // ---- LoopHost: IOThreads -------------------------------------------------------------------

    @Override
    public List<IOThreadInfo> iothreads() {
        List<IOThreadInfo> out = new ArrayList<>();
        synchronized (iothreadLock) {
            for (IOThreadEntry e : iothreads.values()) {
                AioContext c = e.thread.context();
                out.add(new IOThreadInfo(e.thread.name(), e.thread.thread().getName(), c.pollParams(),
                        e.config.poolMin(), e.config.poolMax(), c.backendName()));
            }
        }
        return out;
    }

    @Override
    public AioContext addIOThread(String name, PollParams params, int poolMin, int poolMax) {
        return addIOThread(new IOThreadConfig(name, params, poolMin, poolMax));
    }

    /**
     * Starts an IOThread; devices waiting for a context of that name attach to it.
     *
     * @param cfg its configuration
     * @return its context
     * @throws InvalidConfigurationException naming {@code name} if an IOThread of that name runs
     * @throws ContextClosedException        if the host is closed
     */
    public AioContext addIOThread(IOThreadConfig cfg) {
        IOThread t;
        synchronized (iothreadLock) {
            if (closed) {
                throw new ContextClosedException("host");
            }
            if (iothreads.containsKey(cfg.name())) {
                throw new InvalidConfigurationException(IOThreadConfig.NAME, cfg.name(),
                        "an IOThread of this name is already running");
            }
            PollBackend b = choice(cfg.name());
            t = IOThread.builder(cfg.name())
                    .registry(registry)
                    .clocks(clocks)
                    .backend(b == null ? AioContexts.AUTO : b.name())
                    .pollParams(cfg.params())
                    .threadPoolLimits(cfg.poolMin(), cfg.poolMax())
                    .epollUpgradeThreshold(config.epollUpgradeThreshold())
                    .build()
                    .start();
            iothreads.put(cfg.name(), new IOThreadEntry(t, cfg));
            for (ContextListener l : listeners) {
                safely(() -> l.contextAdded(t.context(), t.thread().getName()));
            }
        }
        LOG.log(System.Logger.Level.INFO, "IOThread '" + cfg.name() + "' started on " + t.context().backendName());
        devices.contextAdded(cfg.name());
        return t.context();
    }

    /**
     * Applies a new configuration to a running IOThread (poll parameters and pool limits, live), or
     * starts it if it does not run.
     *
     * @param cfg the configuration
     * @return its context
     */
    public AioContext reconfigureIOThread(IOThreadConfig cfg) {
        IOThreadEntry e;
        synchronized (iothreadLock) {
            e = iothreads.get(cfg.name());
        }
        if (e == null) {
            return addIOThread(cfg);
        }
        AioContext c = e.thread.context();
        if (c instanceof AioContextImpl impl) {
            impl.setThreadPoolLimits(cfg.poolMin(), cfg.poolMax());
        }
        c.setPollParams(cfg.params());
        e.config = cfg;
        return c;
    }

    @Override
    public boolean removeIOThread(String name) {
        IOThreadEntry e;
        synchronized (iothreadLock) {
            e = iothreads.get(name);
            if (e == null) {
                return false;
            }
            for (ContextListener l : listeners) {
                safely(() -> l.contextRemoved(e.thread.context()));
            }
            // devices first, on the IOThread itself, while it still runs
            devices.contextRemoving(name);
            e.thread.stop();
            iothreads.remove(name);
        }
        LOG.log(System.Logger.Level.INFO, "IOThread '" + name + "' stopped");
        return true;
    }

    // ---- devices and sources -------------------------------------------------------------------

    @Override
    public List<DeviceInfo> devices() {
        return devices.devices();
    }

    @Override
    public List<DeviceStats> deviceStats() {
        return devices.stats();
    }

    /**
     * Adds a device (whiteboard); it attaches on its context's home thread.
     *
     * @param device     the device
     * @param properties its service properties
     * @return the device as known now
     * @see DeviceManager#add
     */
    public DeviceInfo addDevice(DeviceHandler device, Map<String, ?> properties) {
        return devices.add(device, properties);
    }

    /**
     * Removes a device; returns once it is detached (bounded).
     *
     * @param device the device
     * @return how it was left, or null if unknown
     */
    public DeviceInfo removeDevice(DeviceHandler device) {
        return devices.remove(device);
    }

    /**
     * Attaches an event source to the main context.
     *
     * @param source   the source
     * @param name     its name
     * @param priority its priority
     * @return its handle
     */
    public SourceHandle attachSource(EventSource source, String name, int priority) {
        return loop.mainContext().attach(source, name, priority);
    }

    /**
     * Destroys an attached source and waits (bounded) until the main loop is past any dispatch of
     * it that was running, so the source's bundle may go.
     *
     * @param handle the source's handle
     */
    public void detachSource(SourceHandle handle) {
        handle.destroy();
        if (Thread.currentThread() == mainThread || !mainThread.isAlive()) {
            return;
        }
        CompletableFuture<Void> barrier = new CompletableFuture<>();
        try {
            loop.aioContext().scheduleOneshot(() -> barrier.complete(null));
            barrier.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ContextClosedException | ExecutionException | TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "source '" + handle.name() + "' destroyed without a loop barrier: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * @param listener told about every context now (main, iohandler, IOThreads) and later
     * @return a handle whose {@code close()} removes the listener
     */
    public AutoCloseable addContextListener(ContextListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (iothreadLock) {
            listeners.add(listener);
            safely(() -> listener.contextAdded(loop.aioContext(), mainThread.getName()));
            safely(() -> listener.contextAdded(loop.iohandlerContext(), mainThread.getName()));
            for (IOThreadEntry e : iothreads.values()) {
                safely(() -> listener.contextAdded(e.thread.context(), e.thread.thread().getName()));
            }
        }
        return () -> listeners.remove(listener);
    }

    // ---- configuration and life cycle ----------------------------------------------------------

    /**
     * @return the configuration in force
     */
    public HostConfig config() {
        return config;
    }

    /**
     * Applies a validated configuration live: contexts without a sticky choice follow the new
     * backend; the main pool limits and the detach timeout change at once.
     *
     * @param next the new configuration
     */
    public void applyConfig(HostConfig next) {
        Objects.requireNonNull(next, "next");
        HostConfig previous = config;
        if (loop.aioContext() instanceof AioContextImpl impl) {
            impl.setThreadPoolLimits(next.threadPoolMin(), next.threadPoolMax());
        }
        devices.setDetachTimeout(Duration.ofMillis(next.detachTimeoutMillis()));
        if (next.epollUpgradeThreshold() != previous.epollUpgradeThreshold()) {
            // QEMU's upgrade threshold is fixed when a context is created (and the upgrade is tried once)
            LOG.log(System.Logger.Level.INFO, "'" + HostConfig.EPOLL_UPGRADE_THRESHOLD + "' = "
                    + next.epollUpgradeThreshold() + " applies to IOThreads started from now on; running contexts"
                    + " keep " + previous.epollUpgradeThreshold());
        }
        config = next;
        if (!HostConfig.AUTO.equals(next.backend()) && registry.byName(next.backend()) == null) {
            LOG.log(System.Logger.Level.WARNING, "configured backend '" + next.backend() + "' is not installed (known: "
                    + registry.names() + "); contexts use the best available one until it arrives");
        }
        for (AioContext c : contexts()) {
            if (sticky.containsKey(c.name())) {
                continue;
            }
            PollBackend b = choice(c.name());
            if (b != null && !b.name().equals(c.backendName())) {
                switchTo(c, b.name()).thenAccept(line -> LOG.log(System.Logger.Level.INFO, "configuration: " + line));
            }
        }
    }

    @Override
    public void reloadConfiguration() {
        reloadHook.run();
    }

    @Override
    public void shutdown() {
        shutdownHook.run();
    }

    /**
     * Waits until the host is closed.
     *
     * @throws InterruptedException if interrupted
     */
    public void awaitShutdown() throws InterruptedException {
        closedLatch.await();
    }

    private void closeInBackground() {
        Thread t = new Thread(this::close, "aioloop-shutdown");
        t.start();
    }

    /**
     * Detaches every device, stops the IOThreads, quits the main loop, waits for its thread and
     * releases the main loop's contexts. Idempotent. From the main loop thread itself it hands the
     * work to another thread (a loop cannot join itself).
     */
    @Override
    public void close() {
        if (Thread.currentThread() == mainThread) {
            closeInBackground();
            return;
        }
        List<String> names;
        synchronized (iothreadLock) {
            if (closed) {
                return;
            }
            closed = true;
            names = new ArrayList<>(iothreads.keySet());
        }
        devices.close();
        for (String n : names) {
            synchronized (iothreadLock) {
                IOThreadEntry e = iothreads.remove(n);
                if (e != null) {
                    for (ContextListener l : listeners) {
                        safely(() -> l.contextRemoved(e.thread.context()));
                    }
                    e.thread.stop();
                }
            }
        }
        for (ContextListener l : listeners) {
            safely(() -> l.contextRemoved(loop.iohandlerContext()));
            safely(() -> l.contextRemoved(loop.aioContext()));
        }
        try {
            registryListener.close();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "closing the registry listener", e);
        }
        loop.quit();
        try {
            mainThread.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mainThread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "the main loop thread did not end within " + WAIT_SECONDS
                    + " s; closing its contexts anyway");
        }
        loop.close();
        closedLatch.countDown();
    }

    /**
     * @return whether {@link #close()} was called
     */
    public boolean isClosed() {
        return closed;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "host listener threw", e);
        }
    }
}
