package org.aioloop.plugin.monitor;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

import org.aioloop.api.AioContext;
import org.aioloop.api.AioException;
import org.aioloop.api.ClockSource;
import org.aioloop.api.ContextStats;
import org.aioloop.api.device.DeviceInfo;
import org.aioloop.api.host.BackendInfo;
import org.aioloop.api.host.IOThreadInfo;
import org.aioloop.api.host.LoopHost;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The monitor's built-in commands over a {@link LoopHost}: a fixed table, so the monitor never runs
 * anything it was not built to run. {@code qmp_capabilities} is handled by the session.
 */
final class HostCommands {
    private final LoopHost host;
    private final Json json;
    private final Runnable onQuit;
    private final Map<String, QmpCommand> table = new LinkedHashMap<>();

    /**
     * @param host   the host to inspect and steer
     * @param json   reply building
     * @param onQuit what {@code quit} does after its reply is sent
     */
    HostCommands(LoopHost host, Json json, Runnable onQuit) {
        this(host, json, onQuit, null);
    }

    /**
     * @param host         the host to inspect and steer
     * @param json         reply building
     * @param onQuit       what {@code quit} does after its reply is sent
     * @param blockDevices the block-file devices (adds the block commands), or null
     */
    HostCommands(LoopHost host, Json json, Runnable onQuit, Supplier<? extends Collection<?>> blockDevices) {
        this.host = host;
        this.json = json;
        this.onQuit = onQuit;
        table.put("query-commands", this::queryCommands);
        table.put("query-status", this::queryStatus);
        table.put("query-backends", this::queryBackends);
        table.put("set-backend", this::setBackend);
        table.put("query-iothreads", this::queryIOThreads);
        table.put("query-devices", this::queryDevices);
        table.put("query-stats", this::queryStats);
        table.put("stop", this::stop);
        table.put("cont", this::cont);
        table.put("quit", this::quit);
        if (blockDevices != null && blockApiAvailable()) {
            BlockCommands.register(table, json, blockDevices);
        }
    }

    /**
     * @return whether the optional block-file API is wired to this bundle (checked here, not in
     *         {@link BlockCommands}, whose loading would need it)
     */
    static boolean blockApiAvailable() {
        try {
            Class.forName("org.aioloop.plugin.block.BlockFileDevice", false, HostCommands.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /**
     * @param name a command name
     * @return the command, or null if there is none of that name
     */
    QmpCommand get(String name) {
        return table.get(name);
    }

    /**
     * @return the command names, in table order
     */
    Set<String> names() {
        return Collections.unmodifiableSet(table.keySet());
    }

    private static CompletionStage<JsonNode> done(JsonNode value) {
        return CompletableFuture.completedFuture(value);
    }

    private CompletionStage<JsonNode> queryCommands(ObjectNode args) {
        Args.of(args, Set.of());
        ArrayNode list = json.array();
        list.addObject().put("name", "qmp_capabilities");
        for (String name : table.keySet()) {
            list.addObject().put("name", name);
        }
        return done(list);
    }

    private CompletionStage<JsonNode> queryStatus(ObjectNode args) {
        Args.of(args, Set.of());
        boolean running = host.clocks().isVirtualRunning();
        ObjectNode status = json.object();
        status.put("running", running);
        status.put("status", running ? "running" : "paused");
        return done(status);
    }

    private CompletionStage<JsonNode> queryBackends(ObjectNode args) {
        Args.of(args, Set.of());
        ArrayNode list = json.array();
        for (BackendInfo b : host.backends()) {
            ObjectNode o = list.addObject();
            o.put("name", b.name());
            o.put("rank", b.rank());
            o.put("available", b.available());
            if (b.unavailableReason() != null) {
                o.put("unavailable-reason", b.unavailableReason());
            }
            strings(o.putArray("used-by"), b.usedBy());
        }
        return done(list);
    }

    private CompletionStage<JsonNode> setBackend(ObjectNode args) {
        Args a = Args.of(args, Set.of("backend", "context"));
        String backend = a.requireString("backend");
        String context = a.optionalString("context");
        if (context != null && host.context(context) == null) {
            throw QmpError.generic("Context '" + Json.printable(context) + "' not found");
        }
        CompletableFuture<List<String>> switched;
        try {
            switched = host.switchBackend(context, backend);
        } catch (AioException e) {
            throw QmpError.generic(Json.printable(e.getMessage()));
        }
        return switched.handle((lines, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
                        ? error.getCause() : error;
                throw QmpError.generic(Json.printable(String.valueOf(cause.getMessage())));
            }
            ArrayNode out = json.array();
            strings(out, lines);
            return out;
        });
    }

    private CompletionStage<JsonNode> queryIOThreads(ObjectNode args) {
        Args.of(args, Set.of());
        ArrayNode list = json.array();
        for (IOThreadInfo t : host.iothreads()) {
            ObjectNode o = list.addObject();
            o.put("id", t.name());
            o.put("thread-name", t.threadName());
            o.put("poll-max-ns", t.params().maxNs());
            o.put("poll-grow", t.params().grow());
            o.put("poll-shrink", t.params().shrink());
            o.put("pool-min", t.poolMin());
            o.put("pool-max", t.poolMax());
            o.put("backend", t.backend());
        }
        return done(list);
    }

    private CompletionStage<JsonNode> queryDevices(ObjectNode args) {
        Args.of(args, Set.of());
        ArrayNode list = json.array();
        for (DeviceInfo d : host.devices()) {
            ObjectNode o = list.addObject();
            o.put("name", d.name());
            o.put("context", d.context());
            o.put("state", d.state().name().toLowerCase());
            if (d.failure() != null) {
                o.put("failure", d.failure());
            }
            strings(o.putArray("resources"), d.resources());
            strings(o.putArray("leaked"), d.leaked());
        }
        return done(list);
    }

    private CompletionStage<JsonNode> queryStats(ObjectNode args) {
        Args a = Args.of(args, Set.of("context"));
        String only = a.optionalString("context");
        if (only != null && host.context(only) == null) {
            throw QmpError.generic("Context '" + Json.printable(only) + "' not found");
        }
        ArrayNode list = json.array();
        for (AioContext ctx : host.contexts()) {
            if (only != null && !only.equals(ctx.name())) {
                continue;
            }
            ContextStats s = ctx.stats();
            ObjectNode o = list.addObject();
            o.put("context", ctx.name());
            o.put("backend", ctx.backendName());
            o.put("iterations", s.iterations());
            o.put("blocking-waits", s.blockingWaits());
            o.put("kicks", s.kicks());
            o.put("wakeup-writes", s.wakeupWrites());
            o.put("fd-dispatches", s.fdDispatches());
            o.put("bh-runs", s.bottomHalfRuns());
            o.put("timer-runs", s.timerRuns());
            o.put("poll-hits", s.pollHits());
            o.put("callback-errors", s.callbackErrors());
            o.put("backend-switches", s.backendSwitches());
            o.put("max-switch-stall-ns", s.maxSwitchStallNanos());
            o.put("max-dispatch-ns", s.maxDispatchNanos());
            o.put("dispatch-ns", s.dispatchNanos());
        }
        return done(list);
    }

    private CompletionStage<JsonNode> stop(ObjectNode args) {
        Args.of(args, Set.of());
        ClockSource clocks = host.clocks();
        clocks.stopVirtual();
        return done(json.object());
    }

    private CompletionStage<JsonNode> cont(ObjectNode args) {
        Args.of(args, Set.of());
        host.clocks().resumeVirtual();
        return done(json.object());
    }

    private CompletionStage<JsonNode> quit(ObjectNode args) {
        Args.of(args, Set.of());
        onQuit.run();
        return done(json.object());
    }

    private static void strings(ArrayNode array, List<String> values) {
        if (values != null) {
            for (String v : values) {
                array.add(v);
            }
        }
    }
}
