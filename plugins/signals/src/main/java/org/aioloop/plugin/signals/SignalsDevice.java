package org.aioloop.plugin.signals;

import java.lang.System.Logger.Level;

import org.aioloop.api.IoEvents;
import org.aioloop.api.device.DeviceContext;
import org.aioloop.api.device.DeviceHandler;
import org.aioloop.api.host.LoopHost;
import org.aioloop.posix.SignalFd;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * Signals as loop events, as QEMU's {@code qemu_signal_init} does for its main loop: SIGTERM and
 * SIGINT ask the host to shut down, SIGHUP asks it to reload its configuration.
 *
 * <p>At attach (on the home thread of the {@code main} context) the device blocks the three signals
 * <em>on that thread</em> and opens a {@code signalfd} for them; the fd's read handler takes the
 * signals one by one. At detach it closes the fd and unblocks the signals on the same thread.
 *
 * <h2>What this catches in a JVM, precisely</h2>
 * <ul>
 * <li>Caught: signals sent to the loop thread itself ({@code tgkill(pid, tid, sig)}, or
 *     {@code raise} on that thread), and process-directed signals ({@code kill pid}) <em>only</em>
 *     when every thread of the process blocks them, which a launcher can arrange only by blocking
 *     them before the JVM starts its threads.</li>
 * <li>Not caught: {@code kill -TERM pid} on an ordinary JVM. The kernel hands a process-directed
 *     signal to any thread that does not block it; the JVM's own threads do not, so the JVM's
 *     handler runs (shutdown hooks for TERM, INT and HUP). The host's launcher stops the framework
 *     cleanly from its shutdown hook in that case, so the end result of TERM/INT is the same; a
 *     process-directed HUP, however, terminates a JVM rather than reloading. This device does not
 *     pretend otherwise and installs no {@code sun.misc.Signal} handlers.</li>
 * </ul>
 */
@Component(service = DeviceHandler.class, immediate = true,
        property = {DeviceHandler.PROP_CONTEXT + "=main", DeviceHandler.PROP_NAME + "=signals"})
public final class SignalsDevice implements DeviceHandler {
    private static final System.Logger LOG = System.getLogger(SignalsDevice.class.getName());
    private static final int[] SIGNALS = {SignalFd.SIGTERM, SignalFd.SIGINT, SignalFd.SIGHUP};

    private final String name;
    private final SignalActions actions;
    private SignalFd signalFd;              // home thread only
    private volatile long received;

    /**
     * @param name    the device name
     * @param actions what the signals do
     */
    public SignalsDevice(String name, SignalActions actions) {
        this.name = name;
        this.actions = actions;
    }

    /**
     * The DS constructor: the signals steer the host.
     *
     * @param host the host the core publishes
     */
    @Activate
    public SignalsDevice(@Reference(name = "host") LoopHost host) {
        this("signals", new SignalActions() {
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
        try {
            context.setFdHandler(fd.fd(), this::onSignals, null);
        } catch (RuntimeException e) {
            fd.close();
            SignalFd.unblockOnCurrentThread(SIGNALS);
            throw e;
        }
        signalFd = fd;
    }

    @Override
    public void detach(DeviceContext context) {
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

    private void onSignals(int fd, int revents) {
        if ((revents & IoEvents.IN) == 0 || signalFd == null) {
            return;
        }
        for (int signo = signalFd.read(); signo != 0; signo = signalFd.read()) {
            received++;
            switch (signo) {
            case SignalFd.SIGTERM:
            case SignalFd.SIGINT:
                LOG.log(Level.INFO, "device ''{0}'': signal {1}: shutting down", name, signo);
                actions.shutdown();
                break;
            case SignalFd.SIGHUP:
                LOG.log(Level.INFO, "device ''{0}'': SIGHUP: reloading configuration", name);
                actions.reload();
                break;
            default:
                LOG.log(Level.WARNING, "device ''{0}'': unexpected signal {1}", name, signo);
            }
        }
    }

    /**
     * @return signals taken from the signalfd so far
     */
    public long received() {
        return received;
    }
}
