package dev.forge.node.work;

import dev.forge.economy.ledger.CrashSafeStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.Optional;
import java.util.concurrent.ConcurrentMap;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.Serializer;

/**
 * What the node keeps about work beyond the ledger, in one MapDB file ({@value #FILE_NAME}):
 * registered keys, each order's input body, digest and who took it, the output and attestation that
 * settled it, every delivery's checks, and agents' offers. The ledger stays the authority on
 * money and order status; every write here commits (synced) before the call answers.
 */
final class WorkStore implements AutoCloseable {
    static final String FILE_NAME = "work.db";
    private static final java.util.HexFormat HEX = java.util.HexFormat.of();

    private final DB db;
    private final ConcurrentMap<String, byte[]> keysByAgent;
    private final ConcurrentMap<String, String> agentByAccount;
    private final ConcurrentMap<Long, byte[]> inputs;
    private final ConcurrentMap<String, Long> ordersByDigest;
    private final ConcurrentMap<Long, String> takers;
    private final NavigableSet<Long> open;
    private final ConcurrentMap<Long, byte[]> outputs;
    private final ConcurrentMap<Long, byte[]> settlements;
    private final BTreeMap<String, byte[]> deliveries;
    private final ConcurrentMap<String, byte[]> offers;
    private final org.mapdb.Atomic.Long deliverySequence;

    private WorkStore(DB db) {
        this.db = db;
        keysByAgent = db.hashMap("keys", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        agentByAccount = db.hashMap("key_accounts", Serializer.STRING, Serializer.STRING).createOrOpen();
        inputs = db.hashMap("inputs", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        ordersByDigest = db.hashMap("order_digests", Serializer.STRING, Serializer.LONG).createOrOpen();
        takers = db.hashMap("takers", Serializer.LONG, Serializer.STRING).createOrOpen();
        open = db.treeSet("open", Serializer.LONG).createOrOpen();
        outputs = db.hashMap("outputs", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        settlements = db.hashMap("settlements", Serializer.LONG, Serializer.BYTE_ARRAY).createOrOpen();
        deliveries = db.treeMap("deliveries", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        offers = db.hashMap("offers", Serializer.STRING, Serializer.BYTE_ARRAY).createOrOpen();
        deliverySequence = db.atomicLong("delivery_sequence").createOrOpen();
    }

    static WorkStore open(Path folder) {
        return new WorkStore(CrashSafeStore.open(folder.resolve(FILE_NAME)));
    }

    // ---- keys ----

    Optional<RegisteredKey> key(String agent) {
        return Optional.ofNullable(keysByAgent.get(agent)).map(RegisteredKey::decode);
    }

    Optional<String> agentOfAccount(String account) {
        return Optional.ofNullable(agentByAccount.get(account));
    }

    synchronized void putKey(RegisteredKey key) {
        keysByAgent.put(key.agent(), key.encode());
        agentByAccount.put(key.account(), key.agent());
        db.commit();
    }

    // ---- orders ----

    Optional<byte[]> input(long orderId) {
        return Optional.ofNullable(inputs.get(orderId));
    }

    /**
     * Records an accepted order as open, found again by its digest (hex SHA-256 of its bytes and
     * signature); the same order again changes nothing.
     */
    synchronized void putOrder(long orderId, byte[] digest, byte[] input) {
        boolean fresh = ordersByDigest.putIfAbsent(HEX.formatHex(digest), orderId) == null;
        if (inputs.putIfAbsent(orderId, input) == null) {
            open.add(orderId);
            fresh = true;
        }
        if (fresh) db.commit();
    }

    /** The order accepted with this digest (orders accepted before digests were recorded have none). */
    Optional<Long> orderByDigest(byte[] digest) {
        return Optional.ofNullable(ordersByDigest.get(HEX.formatHex(digest)));
    }

    List<Long> openOrders() {
        return new ArrayList<>(open);
    }

    Optional<String> taker(long orderId) {
        return Optional.ofNullable(takers.get(orderId));
    }

    /** The one take of an order: true when {@code provider} took it now or had taken it before. */
    synchronized boolean take(long orderId, String provider) {
        String earlier = takers.putIfAbsent(orderId, provider);
        if (earlier == null) db.commit();
        return earlier == null || earlier.equals(provider);
    }

    /** The order is settled or void: it leaves the open set. */
    synchronized void close(long orderId) {
        if (open.remove(orderId)) db.commit();
    }

    synchronized void putSettlement(long orderId, byte[] attestation, byte[] output) {
        settlements.put(orderId, attestation);
        outputs.put(orderId, output);
        open.remove(orderId);
        db.commit();
    }

    Optional<byte[]> settlement(long orderId) {
        return Optional.ofNullable(settlements.get(orderId));
    }

    Optional<byte[]> output(long orderId) {
        return Optional.ofNullable(outputs.get(orderId));
    }

    // ---- deliveries ----

    synchronized void putDelivery(DeliveryRecord delivery) {
        long seq = deliverySequence.incrementAndGet();
        deliveries.put(deliveryKey(delivery.provider(), seq), delivery.encode());
        db.commit();
    }

    /** A provider's deliveries in the order they arrived. */
    List<DeliveryRecord> deliveries(String provider) {
        // '/' is in no account id and sorts just before '0': the range is exactly this provider's keys.
        return deliveries.subMap(provider + "/", provider + "0").values().stream().map(DeliveryRecord::decode).toList();
    }

    private static String deliveryKey(String provider, long seq) {
        return provider + "/" + String.format("%019d", seq);
    }

    // ---- offers ----

    synchronized void putOffer(String account, String model, byte[] encoded) {
        offers.put(account + "/" + model, encoded);
        db.commit();
    }

    List<byte[]> offers() {
        return new ArrayList<>(offers.values());
    }

    @Override
    public synchronized void close() {
        if (!db.isClosed()) db.close();
    }
}
