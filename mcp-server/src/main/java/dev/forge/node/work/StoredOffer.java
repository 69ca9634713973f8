package dev.forge.node.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.market.ModelTier;
import java.util.ArrayList;
import java.util.List;

/** An agent's offer as the work store keeps it, so that the market lists it again after a restart. */
record StoredOffer(WorkCalls.Offered offered, ModelTier tier, long pricePerKiloToken, long tokensPerMinute) {
    private static final String TAG = "forge/agent-offer/v1";

    byte[] encode() {
        var out = new CanonicalWriter(160).string(TAG).string(offered.provider()).string(offered.model())
                .string(offered.modelDigest()).string(tier.name()).i64(pricePerKiloToken).i64(tokensPerMinute)
                .u8(offered.kinds().size());
        offered.kinds().forEach(out::string);
        return out.toByteArray();
    }

    static StoredOffer decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!TAG.equals(in.string())) throw new IllegalStateException("not an agent offer record");
        String provider = in.string();
        String model = in.string();
        String digest = in.string();
        ModelTier tier = ModelTier.valueOf(in.string());
        long price = in.i64();
        long capacity = in.i64();
        int count = in.u8();
        List<String> kinds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) kinds.add(in.string());
        in.expectEnd();
        return new StoredOffer(new WorkCalls.Offered(provider, model, digest, kinds), tier, price, capacity);
    }
}
