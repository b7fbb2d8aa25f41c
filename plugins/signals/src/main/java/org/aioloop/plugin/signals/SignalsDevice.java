package org.aioloop.plugin.signals;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.aioloop.api.IoEvents;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.host.LoopHost;
import org.aioloop.posix.SignalFd;

/**
 * Signals as loop events, as QEMU's {@code qemu_signal_init} does for its main loop: SIGTERM and
 * SIGINT ask the host to shut down, SIGHUP asks it to reload its configuration. Whatever way a
 * signal comes in, the action runs on the home thread of the context the device is attached to
 * ({@code main} by default).
 *
 * <h2>Two routes, one dispatch</h2>
 * <ul>
 * <li><b>signalfd</b> (QEMU's way): at attach the device blocks the three signals <em>on the loop
 *     thread</em> and reads them from a {@code signalfd} in an fd handler. This takes the signals
 *     directed at that thread ({@code tgkill(pid, tid, sig)}, {@code raise} there).</li>
 * <li><b>JVM</b>: a process-directed signal ({@code kill -TERM pid}, Ctrl-C, a service manager)
 *     goes to some other JVM thread that does not block it, and the JVM runs the Java handler
 *     registered for it. While attached, the device installs its own handlers
 *     ({@code sun.misc.Signal}) that only count the signal and schedule a bottom half on the
 *     device's context; the bottom half dispatches on the home thread. At detach the handlers the
 *     device replaced (normally the JVM's, which run the shutdown hooks) are put back. See
 *     {@link JvmSignalRoute}.</li>
 * </ul>
 * Several signals of one kind that arrive before the loop gets to them are acted on once on the
 * JVM route, like the kernel's pending standard signals. With {@code -Xrs} the JVM allows no
 * handler and only the signalfd route works; under {@code nohup} SIGHUP stays ignored.
 *
 * <p>In OSGi, {@link SignalsDeviceComponent} builds the device with the host's {@link LoopHost} and
 * registers it. Only one signals device should be attached per process: a second one would take
 * the handlers over from the first (each restores what it found).
 */
public final class SignalsDevice implements DeviceHandler {
    private static final System.Logger LOG = System.getLogger(SignalsDevice.class.getName());
    private static final int[] SIGNALS = {SignalFd.SIGTERM, SignalFd.SIGINT, SignalFd.SIGHUP};

    private final String name;
    private final SignalActions actions;
    private final JvmSignalRoute.Sink jvmSink = this::onJvmSignal;
    private SignalFd signalFd;              // home thread only
    private volatile JvmSignalRoute jvmRoute;
    private volatile long receivedBySignalFd;
    private final AtomicLong receivedByJvm = new AtomicLong();

    /**
     * @param name    the device name
     * @param actions what the signals do
     */
    public SignalsDevice(String name, SignalActions actions) {
        this.name = name;
        this.actions = actions;
    }

    /**
     * A device that steers a host: TERM/INT call {@link LoopHost#shutdown()}, HUP calls
     * {@link LoopHost#reloadConfiguration()}.
     *
     * @param name the device name
     * @param host the host
     * @return the device
     */
    public static SignalsDevice forHost(String name, LoopHost host) {
        return new SignalsDevice(name, new SignalActions() {
            @Override
            public void shutdown() {
                host.shutdown();
            }

            @Override
            public void reload() {
                host.reloadConfiguration();
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void attach(DeviceContext context) {
        SignalFd fd = SignalFd.open(SIGNALS);
        boolean handlerSet = false;
        try {
            context.setFdHandler(fd.fd(), this::onSignalFd, null);
            handlerSet = true;
            jvmRoute = JvmSignalRoute.open(name, context, jvmSink, receivedByJvm, SIGNALS);
        } catch (RuntimeException | Error e) {
            // Undo it all here: the host would release the handler only after the fd number might
            // have been reused, and the signalfd and this thread's mask are ours alone.
            if (handlerSet) {
                context.removeFdHandler(fd.fd());
            }
            fd.close();
            SignalFd.unblockOnCurrentThread(SIGNALS);
            throw e;
        }
        signalFd = fd;
        LOG.log(Level.INFO, "device ''{0}'': signalfd {1} on the loop thread; JVM handlers for {2}",
                name, fd.fd(), names(jvmRoute.installedSignals()));
    }

    @Override
    public void detach(DeviceContext context) {
        JvmSignalRoute route = jvmRoute;
        jvmRoute = null;
        if (route != null) {
            int[] left = route.close();
            for (int i = 0; i < SIGNALS.length; i++) {
                if (left[i] > 0) {
                    onDetachWithPending(SIGNALS[i]);
                }
            }
        }
        SignalFd fd = signalFd;
        signalFd = null;
        if (fd != null) {
            context.removeFdHandler(fd.fd());
            fd.close();
            // Same thread as attach (the home thread): restore its signal mask. A signal still
            // pending then is delivered normally, as it would have been without the device.
            SignalFd.unblockOnCurrentThread(SIGNALS);
        }
    }

    /**
     * A signal the JVM handlers took just before detach: its old handler is gone. A shutdown
     * request is still honoured (the host's shutdown only starts the stop on another thread); a
     * reload is not run from inside a detach, which the host may be doing under its own locks.
     */
    private void onDetachWithPending(int signo) {
        if (signo == SignalFd.SIGHUP) {
            LOG.log(Level.WARNING, "device ''{0}'': SIGHUP arrived while detaching: not reloaded", name);
        } else {
            dispatch(signo, "JVM handler, at detach");
        }
    }

    private void onSignalFd(int fd, int revents) {
        if ((revents & IoEvents.IN) == 0 || signalFd == null) {
            return;
        }
        for (int signo = signalFd.read(); signo != 0; signo = signalFd.read()) {
            receivedBySignalFd++; // home thread only: one writer
            dispatch(signo, "signalfd");
        }
    }

    private void onJvmSignal(int signo, int count) {
        dispatch(signo, count == 1 ? "JVM handler" : "JVM handler, " + count + " coalesced");
    }

    /** The one place a signal turns into an action; home thread. */
    private void dispatch(int signo, String route) {
        switch (signo) {
        case SignalFd.SIGTERM:
        case SignalFd.SIGINT:
            LOG.log(Level.INFO, "device ''{0}'': SIG{1} ({2}): shutting down", name, JvmSignalRoute.name(signo), route);
            actions.shutdown();
            break;
        case SignalFd.SIGHUP:
            LOG.log(Level.INFO, "device ''{0}'': SIGHUP ({1}): reloading configuration", name, route);
            actions.reload();
            break;
        default:
            LOG.log(Level.WARNING, "device ''{0}'': unexpected signal {1} ({2})", name, signo, route);
        }
    }

    private static String names(List<Integer> signals) {
        StringBuilder b = new StringBuilder();
        for (int s : signals) {
            b.append(b.length() == 0 ? "" : ", ").append("SIG").append(JvmSignalRoute.name(s));
        }
        return b.length() == 0 ? "no signal" : b.toString();
    }

    /**
     * @return signals received so far, by either route
     */
    public long received() {
        return receivedBySignalFd + receivedByJvm();
    }

    /**
     * @return signals read from the signalfd (directed at the loop thread)
     */
    public long receivedBySignalFd() {
        return receivedBySignalFd;
    }

    /**
     * @return process-directed signals taken by the device's JVM handlers while attached (each
     *         counts, also when several were acted on once)
     */
    public long receivedByJvm() {
        return receivedByJvm.get();
    }

    /**
     * @return the signal numbers the device has JVM handlers for now (empty when detached)
     */
    public List<Integer> jvmHandledSignals() {
        JvmSignalRoute r = jvmRoute;
        return r == null ? List.of() : r.installedSignals();
    }

    @Override
    public String toString() {
        return "SignalsDevice[" + name + ", signalfd " + receivedBySignalFd + ", jvm " + receivedByJvm() + "]";
    }
}
