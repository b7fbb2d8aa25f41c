package org.aioloop.core;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.concurrent.CopyOnWriteArrayList;
import org.aioloop.api.BackendUnavailableException;
import org.aioloop.api.backend.PollBackend;

/**
 * The poll backends a process knows: added and removed at run time (OSGi services come and go),
 * looked up by name, or the best available one by {@link PollBackend#rank()}. Contexts listen to it:
 * when the backend a context runs on is removed, the context falls back to the best remaining one.
 *
 * <p>Thread-safe. {@link #shared()} is filled once from {@link ServiceLoader} (plain JPMS or class
 * path); an OSGi host creates its own registry and feeds it from the service registry.
 */
public final class BackendRegistry {
    /** Told when backends come and go; called on the thread that changed the registry. */
    public interface Listener {
        /**
         * @param backend the backend that was added
         */
        default void added(PollBackend backend) {
        }

        /**
         * @param backend the backend that was removed
         */
        default void removed(PollBackend backend) {
        }
    }

    private static final class Holder {
        static final BackendRegistry SHARED = fromServiceLoader();
    }

    private final CopyOnWriteArrayList<PollBackend> backends = new CopyOnWriteArrayList<>();
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();

    /** Creates an empty registry. */
    public BackendRegistry() {
    }

    /**
     * @return the process-wide registry, filled from {@link ServiceLoader} on first use
     */
    public static BackendRegistry shared() {
        return Holder.SHARED;
    }

    /**
     * @return a new registry holding every {@link PollBackend} provider {@link ServiceLoader} finds
     */
    public static BackendRegistry fromServiceLoader() {
        BackendRegistry r = new BackendRegistry();
        for (PollBackend b : ServiceLoader.load(PollBackend.class, BackendRegistry.class.getClassLoader())) {
            r.add(b);
        }
        return r;
    }

    /**
     * Adds a backend. A backend whose name is already present replaces the old one (which is reported
     * as removed first).
     *
     * @param backend the backend
     */
    public void add(PollBackend backend) {
        Objects.requireNonNull(backend, "backend");
        PollBackend old = byName(backend.name());
        if (old == backend) {
            return;
        }
        if (old != null) {
            remove(old);
        }
        backends.add(backend);
        for (Listener l : listeners) {
            l.added(backend);
        }
    }

    /**
     * Removes a backend; contexts running on it switch to the best remaining one.
     *
     * @param backend the backend
     * @return whether it was present
     */
    public boolean remove(PollBackend backend) {
        boolean removed = backends.remove(backend);
        if (removed) {
            for (Listener l : listeners) {
                l.removed(backend);
            }
        }
        return removed;
    }

    /**
     * @param name a backend name
     * @return the backend of that name, or null
     */
    public PollBackend byName(String name) {
        for (PollBackend b : backends) {
            if (b.name().equals(name)) {
                return b;
            }
        }
        return null;
    }

    /**
     * @param name a backend name
     * @return the backend of that name
     * @throws BackendUnavailableException if it is not registered or not available here
     */
    public PollBackend require(String name) {
        PollBackend b = byName(name);
        if (b == null) {
            throw new BackendUnavailableException(name, "not installed (known: " + names() + ")");
        }
        String why = b.unavailableReason();
        if (why != null) {
            throw new BackendUnavailableException(name, why);
        }
        return b;
    }

    /**
     * @return the available backend with the highest rank, or null if none is available
     */
    public PollBackend best() {
        PollBackend best = null;
        for (PollBackend b : backends) {
            if (b.isAvailable() && (best == null || b.rank() > best.rank())) {
                best = b;
            }
        }
        return best;
    }

    /**
     * @return the names of all registered backends, in registration order
     */
    public List<String> names() {
        List<String> out = new ArrayList<>();
        for (PollBackend b : backends) {
            out.add(b.name());
        }
        return out;
    }

    /**
     * @param listener told about later additions and removals
     * @return a handle whose {@code close()} removes the listener
     */
    public AutoCloseable addListener(Listener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        return () -> listeners.remove(listener);
    }
}
