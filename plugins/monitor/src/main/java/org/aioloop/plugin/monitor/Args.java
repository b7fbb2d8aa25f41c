package org.aioloop.plugin.monitor;

import java.util.Iterator;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Checks a command's {@code "arguments"} the way QMP does: unknown members are refused, required
 * ones must be there, and every member must have the declared JSON type. The messages follow
 * QEMU's wording ("Parameter 'x' is missing", "Parameter 'x' is unexpected", "Invalid parameter type
 * for 'x', expected: string").
 */
final class Args {
    private final ObjectNode args;

    private Args(ObjectNode args) {
        this.args = args;
    }

    /**
     * @param args    the arguments object (may be empty)
     * @param allowed the member names the command knows
     * @return a checker
     * @throws QmpError if a member is not allowed
     */
    static Args of(ObjectNode args, Set<String> allowed) {
        for (Iterator<String> it = args.fieldNames(); it.hasNext();) {
            String name = it.next();
            if (!allowed.contains(name)) {
                throw QmpError.generic("Parameter '" + Json.printable(name) + "' is unexpected");
            }
        }
        return new Args(args);
    }

    String requireString(String name) {
        String value = optionalString(name);
        if (value == null) {
            throw QmpError.generic("Parameter '" + name + "' is missing");
        }
        return value;
    }

    String optionalString(String name) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw QmpError.generic("Invalid parameter type for '" + name + "', expected: string");
        }
        return node.textValue();
    }

    long requireLong(String name, long min, long max) {
        JsonNode node = args.get(name);
        if (node == null || node.isNull()) {
            throw QmpError.generic("Parameter '" + name + "' is missing");
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw QmpError.generic("Invalid parameter type for '" + name + "', expected: integer");
        }
        long v = node.longValue();
        if (v < min || v > max) {
            throw QmpError.generic("Parameter '" + name + "' must be between " + min + " and " + max);
        }
        return v;
    }
}
