package org.aioloop.core.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TextTableTest {
    @Test
    void alignsColumnsRightAlignsNumbersAndTrimsTrailingSpace() {
        String out = new TextTable("CONTEXT", "THREAD", ">ITERATIONS")
                .row("main", "aioloop-main", 1234)
                .row("io1", null, 7)
                .toString();
        assertEquals(""
                + "CONTEXT  THREAD        ITERATIONS\n"
                + "-------  ------------  ----------\n"
                + "main     aioloop-main        1234\n"
                + "io1      -                      7\n", out);
    }

    @Test
    void shortRowsAreBlankFilledAndLongRowsRefused() {
        assertEquals("A  B\n-  -\nx\n", new TextTable("A", "B").row("x").toString());
        assertThrows(IllegalArgumentException.class, () -> new TextTable("A").row("x", "y"));
    }

    @Test
    void wideCellsWidenTheirColumn() {
        String out = new TextTable("N", "V").row("a-long-name", "1").toString();
        assertEquals("N            V\n-----------  -\na-long-name  1\n", out);
    }

    @Test
    void durationsReadLikeAPersonWouldWriteThem() {
        assertEquals("-", TextTable.duration(-1));
        assertEquals("850 ns", TextTable.duration(850));
        assertEquals("12.5 us", TextTable.duration(12_500));
        assertEquals("3.2 ms", TextTable.duration(3_200_000));
        assertEquals("1.50 s", TextTable.duration(1_500_000_000));
    }
}
