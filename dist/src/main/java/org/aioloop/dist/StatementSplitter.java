package org.aioloop.dist;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a Gogo script into top-level statements at {@code ;} and newlines, the way a user reads
 * it: separators inside quotes, {@code ( )}, {@code { }} (closures) or {@code [ ]} and escaped
 * ones do not split. Each statement is executed on its own so that every result is printed
 * ({@code lb; scr:list} shows both lists; Gogo alone returns only the last value).
 */
final class StatementSplitter {
    private StatementSplitter() {
    }

    /**
     * @param script the text
     * @return the non-blank statements, trimmed; lines starting with {@code #} are comments
     */
    static List<String> split(CharSequence script) {
        List<String> out = new ArrayList<>();
        Scan scan = new Scan();
        StringBuilder current = new StringBuilder();
        boolean lineStart = true;
        boolean comment = false;
        for (int i = 0; i < script.length(); i++) {
            char c = script.charAt(i);
            if (comment) {
                if (c == '\n') {
                    comment = false;
                    lineStart = true;
                }
                continue;
            }
            if (lineStart && scan.atTopLevel() && c == '#') {
                comment = true;
                continue;
            }
            if (lineStart && (c == ' ' || c == '\t')) {
                current.append(c);
                continue;
            }
            boolean separator = (c == ';' || c == '\n') && scan.atTopLevel();
            scan.accept(c);
            lineStart = c == '\n';
            if (separator) {
                add(out, current);
            } else {
                current.append(c);
            }
        }
        add(out, current);
        return out;
    }

    /**
     * @param text text read so far
     * @return whether it ends outside any quote, bracket or escape, so its statements can run
     */
    static boolean isComplete(CharSequence text) {
        Scan scan = new Scan();
        for (int i = 0; i < text.length(); i++) {
            scan.accept(text.charAt(i));
        }
        return scan.atTopLevel();
    }

    private static void add(List<String> out, StringBuilder current) {
        String s = current.toString().trim();
        if (!s.isEmpty()) {
            out.add(s);
        }
        current.setLength(0);
    }

    /** Quote, bracket and escape state of a left-to-right scan. */
    private static final class Scan {
        private char quote;
        private int depth;
        private boolean escaped;

        boolean atTopLevel() {
            return quote == 0 && depth == 0 && !escaped;
        }

        void accept(char c) {
            if (escaped) {
                escaped = false;
            } else if (quote != 0) {
                if (c == '\\' && quote == '"') {
                    escaped = true;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\\') {
                escaped = true;
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if ((c == ')' || c == '}' || c == ']') && depth > 0) {
                depth--;
            }
        }
    }
}
