package org.aioloop.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatsTest {
    @Test
    void medianOfOddCountIsTheMiddleValue() {
        Stats s = Stats.of(List.of(9.0, 1.0, 5.0));
        assertEquals(5.0, s.median());
        assertEquals(1.0, s.min());
        assertEquals(9.0, s.max());
        assertEquals(3, s.count());
    }

    @Test
    void medianOfEvenCountIsTheMeanOfTheMiddleTwo() {
        assertEquals(3.0, Stats.of(List.of(4.0, 1.0, 2.0, 10.0)).median());
    }

    @Test
    void noValuesIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Stats.of(List.of()));
    }

    @Test
    void tableShowsMedianRangeAndRatioToTheReference() {
        Results r = new Results();
        r.sink("ref", "S9").value("rate", "1/s", Better.HIGHER, 200);
        r.sink("ref", "S9").value("rate", "1/s", Better.HIGHER, 300);
        r.sink("ref", "S9").value("rate", "1/s", Better.HIGHER, 100);
        r.sink("other", "S9").value("rate", "1/s", Better.HIGHER, 400);
        String table = ResultTable.render(r, "ref");
        assertTrue(table.contains("| S9 | rate (1/s) ↑ | ref | 200 | 100–300 | 3 | 1.00 |"), table);
        assertTrue(table.contains("| S9 | rate (1/s) ↑ | other | 400 | 400–400 | 1 | 0.50 |"), table);
    }

    @Test
    void informationalMetricsHaveNoRatio() {
        Results r = new Results();
        r.sink("ref", "S9").value("lost", "count", Better.NONE, 0);
        r.sink("other", "S9").value("lost", "count", Better.NONE, 0);
        assertTrue(ResultTable.render(r, "ref").contains("| other | 0.00 | 0.00–0.00 | 1 |  |"));
    }
}
