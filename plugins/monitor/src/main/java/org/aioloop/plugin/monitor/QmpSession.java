package org.aioloop.plugin.monitor;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.aioloop.api.AioContext;
import org.aioloop.api.ContextClosedException;
import org.aioloop.plugin.stream.LineFramer;
import org.aioloop.plugin.stream.StreamClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One monitor client: capabilities negotiation, then commands, one JSON object per line.
 *
 * <p>Replies go out in request order, as in QMP. A command that completes later (e.g.
 * {@code set-backend}) holds the replies behind it; lines keep being parsed meanwhile, and while
 * {@code maxInFlight} replies are outstanding the client is not read from. An asynchronous command
 * that does not finish within its timeout gets an error reply, so a client is never left hanging.
 * Home thread only, except where a command completes elsewhere: that completion hops back.
 */
final class QmpSession implements LineFramer.Sink {
    private final StreamClient client;
    private final AioContext context;
    private final Json json;
    private final HostCommands commands;
    private final long commandTimeoutMs;
    final LineFramer framer;
    private final ArrayDeque<byte[][]> replies = new ArrayDeque<>(); // each: one slot, filled when done
    private boolean negotiated;

    QmpSession(StreamClient client, AioContext context, Json json, HostCommands commands, int maxLineBytes,
            long commandTimeoutMs) {
        this.client = client;
        this.context = context;
        this.json = json;
        this.commands = commands;
        this.commandTimeoutMs = commandTimeoutMs;
        this.framer = new LineFramer(maxLineBytes);
    }

    int outstanding() {
        return replies.size();
    }

    @Override
    public void onLine(byte[] line, int length) {
        if (client.isClosing() || isBlank(line, length)) {
            return;
        }
        byte[][] slot = new byte[1][];
        replies.add(slot);
        JsonNode id = null;
        try {
            JsonNode request = json.parse(line, length);
            if (!request.isObject()) {
                throw QmpError.generic("QMP input must be a JSON object");
            }
            id = request.get("id");
            execute((ObjectNode) request, slot, id);
        } catch (QmpError e) {
            slot[0] = json.line(json.errorReply(e, id));
        } catch (RuntimeException e) {
            // a bug in a command must not take the monitor down: tell the client and carry on
            slot[0] = json.line(json.errorReply(QmpError.generic("internal error: " + Json.printable(e.toString())), id));
        }
        sendReady();
    }

    @Override
    public void onOversize() {
        if (client.isClosing()) {
            return;
        }
        byte[][] slot = new byte[1][];
        slot[0] = json.line(json.errorReply(QmpError.generic("JSON line too long (max " + framer.maxLineBytes()
                + " bytes); discarded up to its newline"), null));
        replies.add(slot);
        sendReady();
    }

    private void execute(ObjectNode request, byte[][] slot, JsonNode id) {
        for (Iterator<String> it = request.fieldNames(); it.hasNext();) {
            String member = it.next();
            if (!member.equals("execute") && !member.equals("arguments") && !member.equals("id")) {
                throw QmpError.generic("QMP input member '" + Json.printable(member) + "' is unexpected");
            }
        }
        JsonNode execute = request.get("execute");
        if (execute == null) {
            throw QmpError.generic("QMP input lacks member 'execute'");
        }
        if (!execute.isTextual()) {
            throw QmpError.generic("QMP input member 'execute' must be a string");
        }
        JsonNode argsNode = request.get("arguments");
        if (argsNode != null && !argsNode.isObject()) {
            throw QmpError.generic("QMP input member 'arguments' must be an object");
        }
        ObjectNode args = argsNode == null ? json.object() : (ObjectNode) argsNode;
        String name = execute.textValue();
        if (name.equals("qmp_capabilities")) {
            negotiate(args);
            slot[0] = json.line(json.returnReply(json.object(), id));
            return;
        }
        if (!negotiated) {
            throw new QmpError(QmpError.COMMAND_NOT_FOUND, "Expecting capabilities negotiation with 'qmp_capabilities'");
        }
        QmpCommand command = commands.get(name);
        if (command == null) {
            throw new QmpError(QmpError.COMMAND_NOT_FOUND, "The command " + Json.printable(name) + " has not been found");
        }
        CompletionStage<JsonNode> result = command.run(args);
        result.toCompletableFuture().orTimeout(commandTimeoutMs, TimeUnit.MILLISECONDS)
                .whenComplete((value, error) -> onHomeThread(() -> complete(slot, id, value, error)));
    }

    private void negotiate(ObjectNode args) {
        if (negotiated) {
            throw new QmpError(QmpError.COMMAND_NOT_FOUND, "Capabilities negotiation is already complete, command ignored");
        }
        Args.of(args, java.util.Set.of("enable"));
        JsonNode enable = args.get("enable");
        if (enable != null && !enable.isNull()) {
            if (!enable.isArray()) {
                throw QmpError.generic("Invalid parameter type for 'enable', expected: array");
            }
            if (enable.size() > 0) {
                throw QmpError.generic("Capability '" + Json.printable(enable.get(0).asText()) + "' not available");
            }
        }
        negotiated = true;
    }

    private void complete(byte[][] slot, JsonNode id, JsonNode value, Throwable error) {
        if (client.isClosed()) {
            return;
        }
        if (error == null) {
            slot[0] = json.line(json.returnReply(value, id));
        } else {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            QmpError qmp = cause instanceof QmpError ? (QmpError) cause
                    : cause instanceof TimeoutException
                            ? QmpError.generic("command timed out after " + commandTimeoutMs + " ms")
                            : QmpError.generic(Json.printable(String.valueOf(cause.getMessage())));
            slot[0] = json.line(json.errorReply(qmp, id));
        }
        sendReady();
        client.updateInterest(); // a slot freed may let the client be read again
    }

    private void onHomeThread(Runnable r) {
        if (context.inHomeThread()) {
            r.run();
            return;
        }
        try {
            context.execute(r);
        } catch (ContextClosedException e) {
            // the monitor was detached meanwhile: nobody is left to answer
        }
    }

    /** Sends every reply at the head of the queue that is complete, in order. */
    private void sendReady() {
        while (!replies.isEmpty() && replies.peek()[0] != null) {
            byte[] bytes = replies.poll()[0];
            client.send(bytes, 0, bytes.length);
        }
    }

    private static boolean isBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }
}
