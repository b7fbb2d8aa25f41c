package org.aioloop.plugin.monitor;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The monitor's JSON: a strict parser (one value per line, no trailing tokens, no duplicate keys,
 * shallow nesting) and the reply shapes.
 */
final class Json {
    /** Deeper input is refused: commands take flat arguments. */
    static final int MAX_NESTING = 32;

    private final ObjectMapper mapper;

    /**
     * @param maxLineBytes the longest line (bounds strings and numbers too)
     */
    Json(int maxLineBytes) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING)
                        .maxStringLength(maxLineBytes)
                        .maxNumberLength(64)
                        .build())
                .build();
        mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    /**
     * @param line bytes of one line
     * @param length how many
     * @return the parsed value
     * @throws QmpError with a parse error description
     */
    JsonNode parse(byte[] line, int length) {
        try {
            JsonNode node = mapper.readTree(line, 0, length);
            if (node == null || node.isMissingNode()) {
                throw QmpError.generic("JSON parse error, expecting value");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw QmpError.generic("JSON parse error, " + printable(e.getOriginalMessage()));
        } catch (java.io.IOException e) {
            throw QmpError.generic("JSON parse error, " + printable(String.valueOf(e.getMessage())));
        }
    }

    ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    com.fasterxml.jackson.databind.node.ArrayNode array() {
        return JsonNodeFactory.instance.arrayNode();
    }

    /**
     * @param value a reply
     * @return its bytes plus a newline
     */
    byte[] line(JsonNode value) {
        try {
            byte[] json = mapper.writeValueAsBytes(value);
            byte[] out = java.util.Arrays.copyOf(json, json.length + 1);
            out[json.length] = '\n';
            return out;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a reply", e);
        }
    }

    ObjectNode returnReply(JsonNode value, JsonNode id) {
        ObjectNode reply = object();
        reply.set("return", value);
        if (id != null) {
            reply.set("id", id);
        }
        return reply;
    }

    ObjectNode errorReply(QmpError error, JsonNode id) {
        ObjectNode body = object();
        body.put("class", error.errorClass());
        body.put("desc", error.getMessage());
        ObjectNode reply = object();
        reply.set("error", body);
        if (id != null) {
            reply.set("id", id);
        }
        return reply;
    }

    /**
     * Keeps client-supplied text harmless in replies and logs: control characters become '?', and
     * it is cut at 128 characters.
     */
    static String printable(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 128));
        for (int i = 0; i < s.length() && i < 128; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return sb.toString();
    }
}
