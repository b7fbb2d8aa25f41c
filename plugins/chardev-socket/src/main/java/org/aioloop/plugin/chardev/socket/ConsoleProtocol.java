package org.aioloop.plugin.chardev.socket;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

import org.aioloop.plugin.stream.LineFramer;
import org.aioloop.plugin.stream.ServerStats;
import org.aioloop.plugin.stream.StreamClient;
import org.aioloop.plugin.stream.StreamProtocol;

/**
 * Line-console mode: a tiny command line per client. Each line is a command; the answer ends with a
 * prompt {@code "> "}. Commands: {@code help}, {@code echo TEXT}, {@code stats}, {@code quit}. A line
 * longer than the limit is answered with an error once and discarded up to its newline; a partial
 * line is kept (bounded) until its newline arrives. The answer to a line allocates (it is
 * interactive traffic); reading and framing do not.
 */
final class ConsoleProtocol implements StreamProtocol {
    static final String PROMPT = "> ";
    static final String BANNER = "aioloop console; type help\n";

    private final int maxLineBytes;
    private final Supplier<ServerStats> stats;

    ConsoleProtocol(int maxLineBytes, Supplier<ServerStats> stats) {
        this.maxLineBytes = maxLineBytes;
        this.stats = stats;
    }

    @Override
    public void onOpen(StreamClient client) {
        client.attach(new Session(client));
        client.send(BANNER + PROMPT);
    }

    @Override
    public void onData(StreamClient client, ByteBuffer data) {
        Session session = (Session) client.attachment();
        session.framer.feed(data, session);
    }

    /** One client's line state; created once per connection, so reads allocate nothing. */
    private final class Session implements LineFramer.Sink {
        final StreamClient client;
        final LineFramer framer = new LineFramer(maxLineBytes);

        Session(StreamClient client) {
            this.client = client;
        }

        @Override
        public void onLine(byte[] line, int length) {
            if (!client.isClosing()) {
                execute(client, new String(line, 0, length, StandardCharsets.UTF_8).trim());
            }
        }

        @Override
        public void onOversize() {
            if (!client.isClosing()) {
                client.send("error: line too long (max " + maxLineBytes + " bytes)\n" + PROMPT);
            }
        }
    }

    private void execute(StreamClient client, String line) {
        if (line.isEmpty()) {
            client.send(PROMPT);
            return;
        }
        int space = line.indexOf(' ');
        String command = space < 0 ? line : line.substring(0, space);
        String argument = space < 0 ? "" : line.substring(space + 1);
        switch (command) {
        case "help":
            client.send("commands: help, echo TEXT, stats, quit\n" + PROMPT);
            break;
        case "echo":
            client.send(argument + "\n" + PROMPT);
            break;
        case "stats": {
            ServerStats s = stats.get();
            client.send("clients " + s.active() + " accepted " + s.accepted() + " rejected " + s.rejected()
                    + " in " + s.bytesIn() + " out " + s.bytesOut() + "\n" + PROMPT);
            break;
        }
        case "quit":
            client.send("bye\n");
            client.closeWhenFlushed("quit");
            break;
        default:
            client.send("error: unknown command '" + printable(command) + "' (try help)\n" + PROMPT);
        }
    }

    private static String printable(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 64));
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }

    @Override
    public void onClose(StreamClient client, String reason) {
    }
}
