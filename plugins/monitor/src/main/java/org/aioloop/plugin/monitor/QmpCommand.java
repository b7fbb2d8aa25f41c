package org.aioloop.plugin.monitor;

import java.util.concurrent.CompletionStage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One built-in monitor command. Runs on the monitor's home thread; returns the {@code "return"}
 * value, at once or later.
 */
@FunctionalInterface
interface QmpCommand {
    /**
     * @param args the {@code "arguments"} object (empty when absent)
     * @return completes with the return value, or exceptionally with a {@link QmpError}
     * @throws QmpError for bad arguments or a failure known at once
     */
    CompletionStage<JsonNode> run(ObjectNode args);
}
