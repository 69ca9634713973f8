package dev.forge.node.work;

import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.ConsistencyProof;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.work.Bodies;
import dev.forge.economy.work.LogProofs;
import dev.forge.economy.work.TreeHead;
import dev.forge.economy.work.WorkException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A provider's log as its server answers for it now, under the URL it registered
 * ({@code docs/verification.md}, "What a provider serves"): {@code {bodies_url}/log/head} the
 * canonical signed tree head, {@code log/inclusion/{index}/{size}} and
 * {@code log/consistency/{old}/{new}} the proof's hashes, 32 bytes each, concatenated.
 */
final class HttpLogProofs implements LogProofs {
    private static final int MAX_HEAD_BYTES = 1_024;
    /** A proof in a log of up to 2^63 leaves has at most 2 × 64 hashes. */
    private static final int MAX_PROOF_BYTES = 128 * Sha256.SIZE;
    private final Function<String, String> bodiesUrls;

    /** @param bodiesUrls each provider's registered URL, "" when it has none */
    HttpLogProofs(Function<String, String> bodiesUrls) {
        this.bodiesUrls = bodiesUrls;
    }

    @Override
    public Optional<TreeHead> latestHead(String provider) throws Bodies.Unreachable {
        Optional<byte[]> bytes = get(provider, "log/head", MAX_HEAD_BYTES);
        if (bytes.isEmpty()) return Optional.empty();
        try {
            return Optional.of(TreeHead.decode(bytes.get()));
        } catch (WorkException e) {
            // Bytes that are no head are no head: the provider serves none.
            return Optional.empty();
        }
    }

    @Override
    public Optional<InclusionProof> inclusion(String provider, long index, long treeSize) throws Bodies.Unreachable {
        return get(provider, "log/inclusion/" + index + "/" + treeSize, MAX_PROOF_BYTES)
                .flatMap(hashes(path -> new InclusionProof(index, treeSize, path)));
    }

    @Override
    public Optional<ConsistencyProof> consistency(String provider, long oldSize, long newSize) throws Bodies.Unreachable {
        return get(provider, "log/consistency/" + oldSize + "/" + newSize, MAX_PROOF_BYTES)
                .flatMap(hashes(path -> new ConsistencyProof(oldSize, newSize, path)));
    }

    private Optional<byte[]> get(String provider, String path, int maxBytes) throws Bodies.Unreachable {
        String base = bodiesUrls.apply(provider);
        if (base == null || base.isEmpty()) return Optional.empty();
        return ProviderHttp.get(base, path, maxBytes).bytes();
    }

    /** Hashes of 32 bytes each; any other length is no proof (the check then fails as gone). */
    private static <T> Function<byte[], Optional<T>> hashes(Function<List<byte[]>, T> proof) {
        return bytes -> {
            if (bytes.length % Sha256.SIZE != 0) return Optional.empty();
            List<byte[]> path = new ArrayList<>();
            for (int at = 0; at < bytes.length; at += Sha256.SIZE) path.add(Arrays.copyOfRange(bytes, at, at + Sha256.SIZE));
            try {
                return Optional.of(proof.apply(path));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        };
    }
}
