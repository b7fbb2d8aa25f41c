package org.aioloop.core.host;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.aioloop.api.AioContext;
import org.aioloop.api.ContextClosedException;
import org.aioloop.api.InvalidConfigurationException;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.device.DeviceState;

/**
 * The device whiteboard's bookkeeping: attaches each {@link DeviceHandler} on the home thread of the
 * context it names, detaches it when it goes away, isolates it when it fails, and remembers its state,
 * failure and leaks.
 *
 * <p>Life cycle of one device: {@link #add} records it PENDING and, if its context exists, schedules
 * the attach as a one-shot on that context (so it runs on the home thread, between two passes).
 * A device whose context does not exist yet (an IOThread configured later) stays PENDING until
 * {@link #contextAdded}. {@link #remove} and {@link #contextRemoving} detach on the home thread and
 * wait for it (bounded): the caller is usually a bundle going away, whose classes must not run after
 * it returns. If the home thread does not answer in time, the device's registrations are taken back
 * from the calling thread (every operation the view uses is safe from any thread) without calling its
 * {@code detach}, and a warning says so.
 *
 * <p>Removed devices stay listed (DETACHED or FAILED, with their leaks) until a device of the same
 * name comes back, so a shell can show what a departed plugin left behind.
 */
public final class DeviceManager implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DeviceManager.class.getName());
    private static final int HISTORY = 64;

    private final Function<String, AioContext> contexts;
    private volatile long timeoutNanos;

    private final Map<DeviceHandler, DeviceEntry> entries = new IdentityHashMap<>();
    private final Map<String, DeviceEntry> byName = new LinkedHashMap<>();
    /**
     * Departed devices as immutable reports: never the entry, which references the handler, so a
     * departed plugin's class loader is not kept alive by the history.
     */
    private final Map<String, DeviceInfo> departed = new LinkedHashMap<>();
    private boolean closed;

    /**
     * @param contexts      finds a context by name, null if it does not exist (yet)
     * @param detachTimeout how long {@link #remove} waits for the home thread
     */
    public DeviceManager(Function<String, AioContext> contexts, Duration detachTimeout) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.timeoutNanos = detachTimeout.toNanos();
    }

    /**
     * @param timeout the new bound for detaching on the home thread
     */
    public void setDetachTimeout(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * Adds a device. Its name is the {@link DeviceHandler#PROP_NAME} property, else
     * {@link DeviceHandler#name()}; its context the {@link DeviceHandler#PROP_CONTEXT} property, else
     * {@link AioContext#MAIN}. Returns at once; the attach runs on the context's home thread.
     *
     * @param handler    the device
     * @param properties its service properties (may be empty)
     * @return the device as known now (usually PENDING)
     * @throws InvalidConfigurationException naming {@code aioloop.device} when the name is empty or
     *                                       used by another device, or the handler is already added
     * @throws ContextClosedException        when the manager is closed
     */
    public DeviceInfo add(DeviceHandler handler, Map<String, ?> properties) {
        Objects.requireNonNull(handler, "handler");
        String name = stringProperty(properties, DeviceHandler.PROP_NAME);
        if (name == null) {
            name = handler.name();
        }
        if (name == null || name.isBlank()) {
            throw new InvalidConfigurationException(DeviceHandler.PROP_NAME, name,
                    "a device needs a non-empty name (handler " + handler.getClass().getName() + ")");
        }
        String contextName = stringProperty(properties, DeviceHandler.PROP_CONTEXT);
        if (contextName == null || contextName.isBlank()) {
            contextName = AioContext.MAIN;
        }
        DeviceEntry entry;
        // Looked up before taking our lock: the lookup takes the host's lock, and the host calls us
        // with its lock held when a context goes away (one lock order only).
        AioContext ctx = contexts.apply(contextName);
        synchronized (this) {
            if (closed) {
                throw new ContextClosedException("device manager");
            }
            if (entries.containsKey(handler)) {
                throw new InvalidConfigurationException(DeviceHandler.PROP_NAME, name,
                        "this handler instance is already added");
            }
            if (byName.containsKey(name)) {
                throw new InvalidConfigurationException(DeviceHandler.PROP_NAME, name,
                        "another device already uses this name");
            }
            entry = new DeviceEntry(handler, name, contextName);
            entries.put(handler, entry);
            byName.put(name, entry);
            departed.remove(name);
            entry.context = ctx;
        }
        if (ctx == null) {
            LOG.log(System.Logger.Level.INFO, "device '" + name + "' waits for context '" + contextName + "'");
        } else {
            scheduleAttach(entry, ctx);
        }
        return entry.info();
    }

    /**
     * Removes a device: detaches it on its home thread and waits for that (bounded).
     *
     * @param handler the device
     * @return the device as it was left (DETACHED or FAILED, with its leaks), or null if unknown
     */
    public DeviceInfo remove(DeviceHandler handler) {
        DeviceEntry entry;
        synchronized (this) {
            entry = entries.remove(handler);
            if (entry == null) {
                return null;
            }
            byName.remove(entry.name);
            entry.removed = true;
        }
        AioContext ctx = entry.context;
        entry.context = null;
        if (ctx != null) {
            detachOnHome(entry, ctx, DeviceState.DETACHED);
        }
        if (entry.state != DeviceState.FAILED) {
            entry.state = DeviceState.DETACHED;
        }
        DeviceInfo last = entry.info();
        synchronized (this) {
            if (!byName.containsKey(entry.name)) {
                departed.put(entry.name, last);
                while (departed.size() > HISTORY) {
                    departed.remove(departed.keySet().iterator().next());
                }
            }
        }
        return last;
    }

    /**
     * A context now exists (an IOThread started): attaches the devices waiting for it. Failed devices
     * stay failed until their service comes back.
     *
     * @param name the context's name
     */
    public void contextAdded(String name) {
        List<DeviceEntry> waiting = new ArrayList<>();
        AioContext ctx = contexts.apply(name);
        if (ctx == null) {
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            for (DeviceEntry e : entries.values()) {
                AioContext had = e.context;
                if (e.contextName.equals(name) && (had == null || had.isClosed())
                        && e.state == DeviceState.PENDING) {
                    e.context = ctx;
                    waiting.add(e);
                }
            }
        }
        for (DeviceEntry e : waiting) {
            scheduleAttach(e, ctx);
        }
    }

    /**
     * A context is about to go away (an IOThread stops): detaches its devices on its home thread and
     * puts them back to PENDING, so they attach again if the context comes back.
     *
     * @param name the context's name
     */
    public void contextRemoving(String name) {
        List<DeviceEntry> affected = new ArrayList<>();
        synchronized (this) {
            for (DeviceEntry e : entries.values()) {
                AioContext ctx = e.context;
                if (ctx != null && e.contextName.equals(name)) {
                    affected.add(e);
                }
            }
        }
        for (DeviceEntry e : affected) {
            AioContext ctx = e.context;
            e.context = null;
            if (ctx != null) {
                detachOnHome(e, ctx, DeviceState.PENDING);
            }
        }
    }

    /**
     * @return every device, attached or waiting, then the departed ones
     */
    public synchronized List<DeviceInfo> devices() {
        List<DeviceInfo> out = new ArrayList<>(byName.size() + departed.size());
        for (DeviceEntry e : byName.values()) {
            out.add(e.info());
        }
        out.addAll(departed.values());
        return out;
    }

    /**
     * @param name a device name
     * @return the device (present or departed), or null
     */
    public synchronized DeviceInfo device(String name) {
        DeviceEntry e = byName.get(name);
        return e != null ? e.info() : departed.get(name);
    }

    /**
     * @return the callback counters of every present device
     */
    public synchronized List<DeviceStats> stats() {
        List<DeviceStats> out = new ArrayList<>(byName.size());
        for (DeviceEntry e : byName.values()) {
            out.add(e.stats());
        }
        return out;
    }

    /** Detaches every device (on its home thread, bounded wait); later adds are refused. */
    @Override
    public void close() {
        List<DeviceEntry> all;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            all = new ArrayList<>(entries.values());
        }
        for (DeviceEntry e : all) {
            AioContext ctx = e.context;
            e.context = null;
            if (ctx != null) {
                detachOnHome(e, ctx, DeviceState.DETACHED);
            }
            if (e.state == DeviceState.PENDING) {
                e.state = DeviceState.DETACHED;
            }
        }
    }

    // ---- home-thread steps -----------------------------------------------------------------------

    private void scheduleAttach(DeviceEntry entry, AioContext ctx) {
        try {
            ctx.scheduleOneshot(() -> attachNow(entry, ctx));
        } catch (ContextClosedException e) {
            // the context went away meanwhile: wait for the next one of that name
            entry.context = null;
            LOG.log(System.Logger.Level.INFO, "device '" + entry.name + "' waits for context '"
                    + entry.contextName + "' (" + e.getMessage() + ")");
        }
    }

    /** Runs on the home thread of {@code ctx}. */
    private void attachNow(DeviceEntry entry, AioContext ctx) {
        // Stale one-shots (the device was removed, or its context replaced) do nothing.
        if (entry.removed || entry.context != ctx || entry.view.get() != null
                || entry.state != DeviceState.PENDING) {
            return;
        }
        DeviceContextView view = new DeviceContextView(entry.name, ctx, this::deviceFailed);
        entry.view.set(view);
        try {
            entry.handler.attach(view);
            if (entry.view.get() == view) {
                entry.state = DeviceState.ATTACHED;
                entry.failure = null;
                LOG.log(System.Logger.Level.INFO, "device '" + entry.name + "' attached to context '"
                        + ctx.name() + "'");
            }
        } catch (Throwable t) {
            if (entry.view.compareAndSet(view, null)) {
                List<String> leftovers = view.release();
                entry.lastStats = view.deviceStats();
                entry.leaked = leftovers;
                entry.failure = "attach threw " + t;
                entry.state = DeviceState.FAILED;
                LOG.log(System.Logger.Level.ERROR, "device '" + entry.name + "' failed to attach to context '"
                        + ctx.name() + "'" + leakSuffix(leftovers, "released"), t);
            }
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    /** Runs on the home thread, after the failing callback unwound. */
    private void deviceFailed(DeviceContextView view, String what, Throwable error) {
        DeviceEntry entry;
        synchronized (this) {
            entry = byName.get(view.deviceName());
        }
        if (entry == null || !entry.view.compareAndSet(view, null)) {
            return;
        }
        callDetach(entry, view);
        List<String> leftovers = view.release();
        entry.lastStats = view.deviceStats();
        entry.leaked = leftovers;
        entry.failure = what + " threw " + error;
        entry.state = DeviceState.FAILED;
        LOG.log(System.Logger.Level.ERROR, "device '" + entry.name + "' isolated: " + entry.failure
                + leakSuffix(leftovers, "released"));
    }

    /** Runs on the home thread (or, after a timeout, from the caller; see the class comment). */
    private void detachNow(DeviceEntry entry, DeviceState after, boolean callDetach) {
        DeviceContextView view = entry.view.getAndSet(null);
        if (view == null) {
            if (entry.state != DeviceState.FAILED) {
                entry.state = after;
            }
            return;
        }
        if (callDetach) {
            callDetach(entry, view);
        }
        List<String> leftovers = view.release();
        entry.lastStats = view.deviceStats();
        entry.leaked = leftovers;
        entry.state = after;
        if (leftovers.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "device '" + entry.name + "' detached");
        } else {
            LOG.log(System.Logger.Level.WARNING, leakMessage(entry.name, leftovers));
        }
    }

    private void detachOnHome(DeviceEntry entry, AioContext ctx, DeviceState after) {
        // Even when no view is set yet, go through the home thread: an attach may be running there
        // right now (it checked 'removed' just before we set it). Being serialised behind it is what
        // makes the detach see its view.
        Thread home = ctx.homeThread();
        if (ctx.inHomeThread() || home == null || !home.isAlive() || ctx.isClosed()) {
            // nobody runs the context (or we are its thread): nothing can race with us
            detachNow(entry, after, true);
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            ctx.scheduleOneshot(() -> {
                try {
                    detachNow(entry, after, true);
                } finally {
                    done.complete(null);
                }
            });
            done.get(timeoutNanos, TimeUnit.NANOSECONDS);
        } catch (ContextClosedException e) {
            detachNow(entry, after, true);
        } catch (TimeoutException e) {
            LOG.log(System.Logger.Level.WARNING, "device '" + entry.name + "' did not detach on '"
                    + home.getName() + "' within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                    + " ms; taking back its registrations from '" + Thread.currentThread().getName()
                    + "' without calling detach");
            detachNow(entry, after, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            detachNow(entry, after, false);
        } catch (ExecutionException e) {
            LOG.log(System.Logger.Level.WARNING, "detaching device '" + entry.name + "' failed", e.getCause());
        }
    }

    private static void callDetach(DeviceEntry entry, DeviceContextView view) {
        try {
            entry.handler.detach(view);
        } catch (Throwable t) {
            LOG.log(System.Logger.Level.WARNING, "device '" + entry.name + "' threw from detach", t);
            if (t instanceof VirtualMachineError vme) {
                throw vme;
            }
        }
    }

    /**
     * @param device    a device name
     * @param leftovers what it left behind
     * @return e.g. {@code "device 'echo' leaked fd 12, timer 'tick'"}
     */
    public static String leakMessage(String device, List<String> leftovers) {
        return "device '" + device + "' leaked " + String.join(", ", leftovers);
    }

    private static String leakSuffix(List<String> leftovers, String verb) {
        return leftovers.isEmpty() ? "" : "; " + verb + " " + String.join(", ", leftovers);
    }

    private static String stringProperty(Map<String, ?> properties, String key) {
        if (properties == null) {
            return null;
        }
        Object v = properties.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof String[] a) {
            return a.length == 0 ? null : a[0];
        }
        return v.toString();
    }
}
