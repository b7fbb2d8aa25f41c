package org.aioloop.plugin.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class LineFramerTest {
    private final List<String> events = new ArrayList<>();
    private final LineFramer.Sink sink = new LineFramer.Sink() {
        @Override
        public void onLine(byte[] line, int length) {
            events.add("line:" + new String(line, 0, length, StandardCharsets.UTF_8));
        }

        @Override
        public void onOversize() {
            events.add("oversize");
        }
    };

    private void feed(LineFramer f, String s) {
        f.feed(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)), sink);
    }

    @Test
    void splitsLinesAndDropsCarriageReturn() {
        LineFramer f = new LineFramer(16);
        feed(f, "a\r\nbb\n\nccc\n");
        assertEquals(List.of("line:a", "line:bb", "line:", "line:ccc"), events);
    }

    @Test
    void keepsPartialLineAcrossFeeds() {
        LineFramer f = new LineFramer(16);
        feed(f, "hel");
        assertEquals(3, f.partialLength());
        assertEquals(List.of(), events);
        feed(f, "lo\nwor");
        feed(f, "ld\n");
        assertEquals(List.of("line:hello", "line:world"), events);
        assertEquals(0, f.partialLength());
    }

    @Test
    void oversizedLineIsReportedOnceAndDiscardedToItsNewline() {
        LineFramer f = new LineFramer(4);
        feed(f, "12345678");
        feed(f, "90");
        assertEquals(List.of("oversize"), events);
        assertEquals(0, f.partialLength(), "nothing of an oversized line is held");
        feed(f, "xx\nok\n");
        assertEquals(List.of("oversize", "line:ok"), events);
    }

    @Test
    void lineOfExactlyTheLimitIsAccepted() {
        LineFramer f = new LineFramer(4);
        feed(f, "abcd\n");
        assertEquals(List.of("line:abcd"), events);
    }
}
