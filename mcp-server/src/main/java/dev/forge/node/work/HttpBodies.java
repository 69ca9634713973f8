package dev.forge.node.work;

import dev.forge.economy.work.Bodies;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A provider's bodies as its server answers for them now: {@code GET {bodies_url}/{hex sha256}}
 * (the URL it registered, http or https). A body over {@link Bodies#MAX_BODY_BYTES} is treated
 * as gone; the checks compare the digest. A provider that registered no URL serves nothing.
 */
final class HttpBodies implements Bodies {
    private final String bodiesUrl;

    HttpBodies(String bodiesUrl) {
        this.bodiesUrl = bodiesUrl;
    }

    @Override
    public Optional<byte[]> fetch(byte[] digest) throws Unreachable {
        if (bodiesUrl.isEmpty()) return Optional.empty();
        return ProviderHttp.get(bodiesUrl, HexFormat.of().formatHex(digest), MAX_BODY_BYTES).bytes();
    }
}
