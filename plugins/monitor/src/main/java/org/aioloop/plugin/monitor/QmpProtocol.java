package org.aioloop.plugin.monitor;

import java.nio.ByteBuffer;

import org.aioloop.api.AioContext;
import org.aioloop.plugin.stream.StreamClient;
import org.aioloop.plugin.stream.StreamProtocol;

/**
 * The monitor's wire protocol: a greeting on connect, then one {@link QmpSession} per client.
 */
final class QmpProtocol implements StreamProtocol {
    private final Json json;
    private final HostCommands commands;
    private final AioContext context;
    private final int maxLineBytes;
    private final int maxInFlight;
    private final long commandTimeoutMs;
    private final byte[] greeting;

    QmpProtocol(Json json, HostCommands commands, AioContext context, int maxLineBytes, int maxInFlight,
            long commandTimeoutMs, String version) {
        this.json = json;
        this.commands = commands;
        this.context = context;
        this.maxLineBytes = maxLineBytes;
        this.maxInFlight = maxInFlight;
        this.commandTimeoutMs = commandTimeoutMs;
        var qmp = json.object();
        var body = qmp.putObject("QMP");
        body.putObject("version").put("aioloop", version);
        body.putArray("capabilities");
        this.greeting = json.line(qmp);
    }

    @Override
    public void onOpen(StreamClient client) {
        client.attach(new QmpSession(client, context, json, commands, maxLineBytes, commandTimeoutMs));
        client.send(greeting, 0, greeting.length);
    }

    @Override
    public void onData(StreamClient client, ByteBuffer data) {
        QmpSession session = (QmpSession) client.attachment();
        session.framer.feed(data, session);
    }

    @Override
    public int readAllowance(StreamClient client) {
        QmpSession session = (QmpSession) client.attachment();
        if (client.hasOverflow() || (session != null && session.outstanding() >= maxInFlight)) {
            return 0;
        }
        return client.outputFree();
    }

    @Override
    public String rejectMessage() {
        return "{\"error\": {\"class\": \"GenericError\", \"desc\": \"too many monitor clients\"}}\n";
    }

    @Override
    public void onClose(StreamClient client, String reason) {
    }
}
