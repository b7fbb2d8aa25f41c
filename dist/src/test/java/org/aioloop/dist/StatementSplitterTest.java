package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {

    @Test
    void splitsAtSemicolonsAndNewlines() {
        assertEquals(List.of("lb", "scr:list", "echo x"), StatementSplitter.split("lb; scr:list\n  echo x  \n"));
    }

    @Test
    void dropsBlankStatementsAndCommentLines() {
        assertEquals(List.of("lb", "echo a"), StatementSplitter.split(";;\n# a comment; not split\n  # indented\nlb;\n\necho a"));
    }

    @Test
    void keepsSeparatorsInsideQuotesBracketsAndClosures() {
        assertEquals(List.of("echo 'a;b'", "echo \"c;\\\"d\"", "each [1 2] { echo $it; echo x }", "x = (a; b)"),
                StatementSplitter.split("echo 'a;b'; echo \"c;\\\"d\"; each [1 2] { echo $it; echo x }\nx = (a; b)"));
        assertEquals(List.of("each [1 2] {\n echo $it\n}"), StatementSplitter.split("each [1 2] {\n echo $it\n}"));
    }

    @Test
    void anEscapedSeparatorDoesNotSplit() {
        assertEquals(List.of("echo a\\;b"), StatementSplitter.split("echo a\\;b"));
    }

    @Test
    void completenessTracksOpenQuotesAndBrackets() {
        assertTrue(StatementSplitter.isComplete("lb\n"));
        assertFalse(StatementSplitter.isComplete("each [1 2] {\n"));
        assertFalse(StatementSplitter.isComplete("echo 'open\n"));
        assertFalse(StatementSplitter.isComplete("echo a\\"));
        assertTrue(StatementSplitter.isComplete("each [1 2] {\n echo $it\n}\n"));
        assertTrue(StatementSplitter.isComplete("echo '{'\n"), "a brace inside quotes opens nothing");
    }
}
