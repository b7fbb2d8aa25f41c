package org.aioloop.core.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ContextSnapshot;
import org.aioloop.api.ContextStats;
import org.aioloop.api.IoEvents;
import org.aioloop.api.PollParams;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.host.BackendInfo;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.api.host.LoopHost;
import org.aioloop.core.host.DeviceStats;
import org.aioloop.core.host.DeviceStatsSource;

/**
 * The text behind the {@code aio:} shell commands, computed from a {@link LoopHost}. Free of Gogo so
 * it is unit-testable and reusable (a monitor, a log dump).
 */
public final class HostReports {
    private static final long SWITCH_TIMEOUT_SECONDS = 10;

    private final LoopHost host;

    /**
     * @param host the host to report on
     */
    public HostReports(LoopHost host) {
        this.host = Objects.requireNonNull(host, "host");
    }

    /**
     * @return one row per context: thread, backend, iteration and dispatch counts
     */
    public String contexts() {
        TextTable t = new TextTable("CONTEXT", "THREAD", "BACKEND", ">ITERATIONS", ">WAITS", ">DISPATCHES",
                ">ERRORS", ">HANDLERS");
        for (AioContext c : host.contexts()) {
            ContextStats s = c.stats();
            ContextSnapshot snap = c.snapshot();
            t.row(c.name(), snap.homeThread(), c.backendName(), s.iterations(), s.blockingWaits(),
                    s.fdDispatches() + s.bottomHalfRuns() + s.timerRuns(), s.callbackErrors(),
                    snap.handlers().size());
        }
        return t.toString();
    }

    /**
     * @param contextName a context
     * @return its fd handlers
     */
    public String handlers(String contextName) {
        ContextSnapshot snap = context(contextName).snapshot();
        TextTable t = new TextTable(">FD", "EVENTS", "OWNER", "BUSY-POLL");
        for (ContextSnapshot.Handler h : snap.handlers()) {
            t.row(h.fd(), IoEvents.describe(h.events()), h.owner(), h.canPoll() ? "yes" : "no");
        }
        return title("fd handlers of context '" + snap.name() + "' (" + snap.backend() + ")", t);
    }

    /**
     * @param contextName a context
     * @return its bottom halves
     */
    public String bottomHalves(String contextName) {
        ContextSnapshot snap = context(contextName).snapshot();
        TextTable t = new TextTable("NAME", "SCHEDULED", "IDLE");
        for (ContextSnapshot.Bh b : snap.bottomHalves()) {
            t.row(b.name(), b.scheduled() ? "yes" : "no", b.idle() ? "yes" : "no");
        }
        return title("bottom halves of context '" + snap.name() + "'", t);
    }

    /**
     * @param contextName a context
     * @return its armed timers, with the time left on their clocks
     */
    public String timers(String contextName) {
        AioContext c = context(contextName);
        ContextSnapshot snap = c.snapshot();
        ClockSource clocks = c.clocks();
        TextTable t = new TextTable("NAME", "CLOCK", ">EXPIRES-IN");
        for (ContextSnapshot.TimerEntry e : snap.timers()) {
            long now = clocks.nanos(e.clock());
            // saturating: a far deadline against a clock below zero must not wrap to "due"
            t.row(e.name(), e.clock(), e.expireNanos() < now ? "due"
                    : TextTable.duration(org.aioloop.core.aio.Timeouts.untilDeadline(e.expireNanos(), now)));
        }
        return title("timers of context '" + snap.name() + "'", t);
    }

    /**
     * @param contextName a context
     * @return its handlers, bottom halves and timers
     */
    public String show(String contextName) {
        return handlers(contextName) + "\n" + bottomHalves(contextName) + "\n" + timers(contextName);
    }

    /**
     * @return every known backend: rank, availability, the contexts on it
     */
    public String backends() {
        TextTable t = new TextTable("BACKEND", ">RANK", "AVAILABLE", "IN USE BY", "WHY NOT");
        for (BackendInfo b : host.backends()) {
            t.row(b.name(), b.rank(), b.available() ? "yes" : "no",
                    b.usedBy().isEmpty() ? "-" : String.join(",", b.usedBy()),
                    b.unavailableReason());
        }
        return t.toString();
    }

    /**
     * @return every device: context, state, what it holds, what it leaked, why it failed
     */
    public String devices() {
        TextTable t = new TextTable("DEVICE", "CONTEXT", "STATE", ">HOLDS", "LEAKED", "FAILURE");
        for (DeviceInfo d : host.devices()) {
            t.row(d.name(), d.context(), d.state(), d.resources().size(),
                    d.leaked().isEmpty() ? "-" : String.join(", ", d.leaked()), d.failure());
        }
        return t.toString();
    }

    /**
     * @return the IOThreads
     */
    public String iothreads() {
        TextTable t = new TextTable("IOTHREAD", "THREAD", "BACKEND", ">POLL-MAX-NS", ">GROW", ">SHRINK",
                ">POOL-MIN", ">POOL-MAX");
        for (IOThreadInfo i : host.iothreads()) {
            PollParams p = i.params();
            t.row(i.name(), i.threadName(), i.backend(), p.maxNs(), p.grow(), p.shrink(), i.poolMin(), i.poolMax());
        }
        return t.toString();
    }

    /**
     * @param contextName a context, or null for all
     * @return the counters of one or all contexts, then per-device counters if the host has them
     */
    public String stats(String contextName) {
        List<AioContext> list = contextName == null ? host.contexts() : List.of(context(contextName));
        TextTable t = new TextTable("CONTEXT", ">ITERATIONS", ">WAITS", ">KICKS", ">WAKEUPS", ">FD", ">BH",
                ">TIMER", ">POLL-HITS", ">ERRORS", ">SWITCHES", ">SWITCH-STALL", ">CALLBACK-TIME", ">MAX-DISPATCH");
        for (AioContext c : list) {
            ContextStats s = c.stats();
            t.row(c.name(), s.iterations(), s.blockingWaits(), s.kicks(), s.wakeupWrites(), s.fdDispatches(),
                    s.bottomHalfRuns(), s.timerRuns(), s.pollHits(), s.callbackErrors(), s.backendSwitches(),
                    TextTable.duration(s.maxSwitchStallNanos()), TextTable.duration(s.dispatchNanos()), TextTable.duration(s.maxDispatchNanos()));
        }
        String out = t.toString();
        if (host instanceof DeviceStatsSource src) {
            List<String> devicesHere = new ArrayList<>();
            if (contextName != null) {
                for (DeviceInfo d : host.devices()) {
                    if (d.context().equals(contextName)) {
                        devicesHere.add(d.name());
                    }
                }
            }
            TextTable d = new TextTable("DEVICE", ">DISPATCHES", ">ERRORS", ">CALLBACK-TIME", ">MAX-DISPATCH");
            for (DeviceStats s : src.deviceStats()) {
                if (contextName == null || devicesHere.contains(s.device())) {
                    d.row(s.device(), s.dispatches(), s.errors(), TextTable.duration(s.dispatchNanos()),
                            TextTable.duration(s.maxDispatchNanos()));
                }
            }
            if (d.size() > 0) {
                out = out + "\n" + d;
            }
        }
        return out;
    }

    /**
     * Switches one or all contexts and waits (bounded) for the result.
     *
     * @param backend     a backend name or {@code auto}
     * @param contextName a context, or null for all
     * @return one line per context saying where it is now
     * @throws AioException when the switch failed or timed out, saying why
     */
    public String switchBackend(String backend, String contextName) {
        if (contextName != null) {
            context(contextName);
        }
        try {
            List<String> lines = host.switchBackend(contextName, backend).get(SWITCH_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return String.join("\n", lines) + "\n";
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AioException a) {
                throw a;
            }
            throw new AioException("switching to backend '" + backend + "' failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new AioException("switching to backend '" + backend + "' did not finish within "
                    + SWITCH_TIMEOUT_SECONDS + " s (is the loop stuck in a callback?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AioException("interrupted while switching to backend '" + backend + "'");
        }
    }

    /**
     * Starts an IOThread.
     *
     * @param name    its name
     * @param params  its busy-polling parameters
     * @param poolMin minimum pool threads
     * @param poolMax maximum pool threads
     * @return a confirmation line
     */
    public String addIOThread(String name, PollParams params, int poolMin, int poolMax) {
        AioContext c = host.addIOThread(name, params, poolMin, poolMax);
        return "IOThread '" + name + "' started on backend " + c.backendName() + "\n";
    }

    /**
     * Stops an IOThread.
     *
     * @param name its name
     * @return a confirmation line
     * @throws AioException when there is no such IOThread
     */
    public String removeIOThread(String name) {
        if (!host.removeIOThread(name)) {
            throw new AioException("no IOThread '" + name + "' (running: " + names(host.iothreads()) + ")");
        }
        return "IOThread '" + name + "' stopped\n";
    }

    private AioContext context(String name) {
        AioContext c = host.context(name);
        if (c == null) {
            List<String> known = new ArrayList<>();
            for (AioContext k : host.contexts()) {
                known.add(k.name());
            }
            throw new AioException("no context '" + name + "' (known: " + String.join(", ", known) + ")");
        }
        return c;
    }

    private static String names(List<IOThreadInfo> list) {
        List<String> n = new ArrayList<>();
        for (IOThreadInfo i : list) {
            n.add(i.name());
        }
        return n.isEmpty() ? "none" : String.join(", ", n);
    }

    private static String title(String title, TextTable t) {
        return title + ":\n" + (t.size() == 0 ? "(none)\n" : t.toString());
    }
}
