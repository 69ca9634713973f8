package dev.forge.node.provide;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.economy.work.SignedWorkOrder;
import java.util.Base64;

/** One entry of {@code open_orders}: the node's id for it, the signed order's bytes decoded, and its input body. */
public record OpenOrder(long id, SignedWorkOrder order, byte[] input, long expiresAt) {
    /** Reads an entry; bytes that are not a canonical signed order fail with {@code malformed_work_record}. */
    static OpenOrder of(JsonNode entry) {
        var base64 = Base64.getDecoder();
        return new OpenOrder(entry.path("order_id").asLong(), SignedWorkOrder.decode(base64.decode(entry.path("order").asText())),
                base64.decode(entry.path("input").asText()), entry.path("expires_at").asLong());
    }
}
