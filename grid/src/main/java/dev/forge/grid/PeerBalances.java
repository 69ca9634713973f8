package dev.forge.grid;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Money between nodes, folded from what the applier applied (docs/grid.md, "Money between nodes").
 * On node X's ledger the account {@code peer:<Y>} takes the other side of every trade with node Y:
 * credited when X's agent bought from Y (X owes Y), debited when Y's agent bought from X (Y owes X).
 * So each log says, for every other node, what its node owes and is owed, and two nodes' logs can
 * be set side by side: they agree when each says of the pair what the other says.
 *
 * <p>The fold is kept incrementally (each node's log is append-only): a snapshot folds the entries
 * applied since the last one, up to exactly the heads it reports, so its sums, its heads and its
 * grid root describe one moment. It is rebuilt from the applied entries after a restart.
 */
public final class PeerBalances {
    public static final String PEER_PREFIX = "peer:";
    private static final Pattern NODE_ID = Pattern.compile("node-[0-9a-f]{40}");

    /** Gross µCU between a log's node and one other node, as that log records it: both ≥ 0. */
    public record Recorded(long owes, long owed) {
        public static final Recorded NONE = new Recorded(0, 0);

        public Recorded {
            if (owes < 0 || owed < 0) throw new IllegalArgumentException("gross sums are never negative");
        }

        /** What the log's node owes net: positive it owes, negative it is owed. */
        public long net() {
            return Math.subtractExact(owes, owed);
        }

        Recorded plus(long owesMore, long owedMore) {
            return new Recorded(Math.addExact(owes, owesMore), Math.addExact(owed, owedMore));
        }
    }

    /**
     * One pair seen from {@code self}: what self owes {@code peer} and is owed by it, as self's log
     * says and as the peer's log says (there turned round: the peer's "owed" is self's "owes").
     */
    public record Between(String self, String peer, Recorded selfSays, Recorded peerSays) {
        public long net() {
            return selfSays.net();
        }

        /** Both logs record the same sums between the two nodes. */
        public boolean agree() {
            return selfSays.equals(peerSays);
        }
    }

    /** The fold at one moment: every node's applied head, the grid root over them, and every log's sums. */
    public record Snapshot(Map<String, GridRoot.Head> heads, byte[] gridRoot, Map<String, Map<String, Recorded>> recorded) {
        public Snapshot {
            heads = Map.copyOf(heads);
            gridRoot = gridRoot.clone();
            Map<String, Map<String, Recorded>> copy = new TreeMap<>();
            recorded.forEach((node, sums) -> copy.put(node, Map.copyOf(sums)));
            recorded = java.util.Collections.unmodifiableMap(copy);
        }

        @Override
        public byte[] gridRoot() {
            return gridRoot.clone();
        }

        /** What {@code logNode}'s log records between it and {@code other}. */
        public Recorded recorded(String logNode, String other) {
            return recorded.getOrDefault(logNode, Map.of()).getOrDefault(other, Recorded.NONE);
        }

        /** The pair as both logs say it. */
        public Between between(String self, String peer) {
            Recorded theirs = recorded(peer, self);
            return new Between(self, peer, recorded(self, peer), new Recorded(theirs.owed(), theirs.owes()));
        }

        /** Every other node that published a log or that a log names as a peer of {@code self}, in id order. */
        public List<String> peersOf(String self) {
            var peers = new TreeSet<>(heads.keySet());
            peers.addAll(recorded.getOrDefault(self, Map.of()).keySet());
            recorded.forEach((node, sums) -> {
                if (sums.containsKey(self)) peers.add(node);
            });
            peers.remove(self);
            return List.copyOf(peers);
        }

        /** The size of {@code node}'s log as applied (0 when none was). */
        public long size(String node) {
            GridRoot.Head head = heads.get(node);
            return head == null ? 0 : head.size();
        }

        /** The root of {@code node}'s log as applied; the empty tree's root when none was. */
        public byte[] root(String node) {
            GridRoot.Head head = heads.get(node);
            return head == null ? new dev.forge.economy.merkle.MerkleLog().root() : head.root();
        }
    }

    private final GridApplier applier;
    private final Map<String, Long> folded = new HashMap<>();
    private final Map<String, Map<String, Recorded>> recorded = new HashMap<>();

    public PeerBalances(GridApplier applier) {
        this.applier = applier;
    }

    /** Folds what was applied since the last snapshot and returns the sums at exactly the heads it read. */
    public synchronized Snapshot snapshot() {
        return applier.betweenMessages(() -> {
            Map<String, GridRoot.Head> heads = applier.heads();
            heads.forEach((node, head) -> foldUpTo(node, head.size()));
            return new Snapshot(heads, GridRoot.of(heads), recorded);
        });
    }

    private void foldUpTo(String node, long size) {
        Map<String, Recorded> sums = recorded.computeIfAbsent(node, n -> new TreeMap<>());
        for (long index = folded.getOrDefault(node, 0L); index < size; index++) {
            GridRecord record = applier.entry(node, index).orElseThrow(() -> new IllegalStateException("an applied entry is missing"))
                    .record();
            add(sums, node, record);
        }
        folded.put(node, size);
    }

    /** Adds one record of {@code logNode}'s log to its sums per peer. */
    static void add(Map<String, Recorded> sums, String logNode, GridRecord record) {
        peerOf(record.payee(logNode), logNode).ifPresent(peer ->
                sums.put(peer, sums.getOrDefault(peer, Recorded.NONE).plus(record.amount(), 0)));
        peerOf(record.payer(logNode), logNode).ifPresent(peer ->
                sums.put(peer, sums.getOrDefault(peer, Recorded.NONE).plus(0, record.amount())));
    }

    /** What {@code logNode}'s records say between it and {@code peer}: for anyone who holds the log. */
    public static Recorded fold(String logNode, String peer, Iterable<GridRecord> records) {
        Map<String, Recorded> sums = new HashMap<>();
        for (GridRecord record : records) add(sums, logNode, record);
        return sums.getOrDefault(peer, Recorded.NONE);
    }

    /** The node an account stands for when it is {@code peer:<node id>} of another node than the log's own. */
    static Optional<String> peerOf(String account, String logNode) {
        if (!account.startsWith(PEER_PREFIX)) return Optional.empty();
        String node = account.substring(PEER_PREFIX.length());
        return NODE_ID.matcher(node).matches() && !node.equals(logNode) ? Optional.of(node) : Optional.empty();
    }

    /** Whether {@code id} is a node id ({@code node-} and 40 lowercase hex digits). */
    public static boolean isNodeId(String id) {
        return id != null && NODE_ID.matcher(id).matches();
    }
}
