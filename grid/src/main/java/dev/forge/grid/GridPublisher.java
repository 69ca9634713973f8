package dev.forge.grid;

import dev.forge.economy.ledger.Account;
import dev.forge.economy.ledger.AccountKind;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.SettledWork;
import dev.forge.economy.ledger.Trade;
import dev.forge.economy.work.WorkOrder;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * Publishes a node's ledger log to its grid subject. The ledger is the authority: on every call
 * the publisher asks the stream for the node's last entry and publishes each ledger leaf after
 * it, in order, one acknowledged publish at a time, so a lost message or a restart is repaired
 * by the next call. Entries are deterministic, so a retry is a true duplicate: the stream drops
 * it by {@code Nats-Msg-Id} within its window and every applier by (node, index) after it.
 */
public final class GridPublisher {
    private static final Logger LOG = Logger.getLogger(GridPublisher.class.getName());
    /** Tries per entry: enough to ride out a JetStream leader election. */
    private static final int MAX_ATTEMPTS = 60;

    private final Connection connection;
    private final NodeIdentity node;
    private final Ledger ledger;
    private final String subject;
    private final Supplier<Optional<Tip>> applied;

    public GridPublisher(Connection connection, NodeIdentity node, Ledger ledger) {
        this(connection, node, ledger, Optional::empty);
    }

    /**
     * @param applied where the node's log ends as its own applier applied it from the stream: used
     *     when the stream's last message on the node's subject is not the node's (anyone allowed to
     *     publish there could otherwise stop the node from publishing by leaving one forged message last)
     */
    public GridPublisher(Connection connection, NodeIdentity node, Ledger ledger, Supplier<Optional<Tip>> applied) {
        this.connection = connection;
        this.node = node;
        this.ledger = ledger;
        this.subject = GridStreams.subject(node.id());
        this.applied = applied;
    }

    /** An entry the stream acknowledged, at the sequence where it stores it. */
    public record Acknowledged(long index, long streamSequence, boolean duplicate) {}

    /** Publishes every leaf the stream lacks, in order; returns the stream's acknowledgements. */
    public synchronized List<Acknowledged> publishPending() throws IOException, InterruptedException {
        Tip tip = lastPublished();
        long size = ledger.logSize();
        if (tip.nextIndex() > size) {
            throw new IllegalStateException("the stream holds " + tip.nextIndex() + " entries of " + node.id()
                    + " but its ledger only " + size);
        }
        JetStream jetStream = connection.jetStream();
        List<Acknowledged> acknowledged = new ArrayList<>();
        byte[] previous = tip.lastDigest();
        for (long index = tip.nextIndex(); index < size; index++) {
            GridEntry entry = entry(index, previous);
            PublishAck ack = publish(jetStream, entry);
            acknowledged.add(new Acknowledged(index, ack.getSeqno(), ack.isDuplicate()));
            previous = entry.digest();
        }
        return acknowledged;
    }

    /** The tip after {@code bytes} when they are this ledger's own entry, validly signed; empty otherwise. */
    private Optional<Tip> ownTip(byte[] bytes) {
        try {
            GridEntry last = GridEntry.decode(bytes);
            last.verify();
            boolean ours = last.nodeId().equals(node.id()) && last.index() < ledger.logSize()
                    && Arrays.equals(last.digest(), entry(last.index(), last.previousDigest()).digest());
            return ours ? Optional.of(new Tip(last.index() + 1, last.digest())) : Optional.empty();
        } catch (RuntimeException notOurs) { // anyone may put any bytes there: whatever fails to check is not ours
            return Optional.empty();
        }
    }

    /** The entry for ledger leaf {@code index}, after the entry whose digest is {@code previous}. */
    public GridEntry entry(long index, byte[] previous) {
        long id = index + 1;
        GridRecord record = ledger.trade(id).<GridRecord>map(this::tradeRecord)
                .or(() -> ledger.settledWork(id).map(this::workRecord))
                .orElseThrow(() -> new IllegalStateException("the ledger has no leaf " + id));
        return GridEntry.sign(node, index, previous, record, ledger.merkleRoot(id));
    }

    private GridRecord tradeRecord(Trade trade) {
        return new GridRecord.TradeRecord(trade.withoutBalances(), key(trade.consumer()), key(trade.provider()));
    }

    private GridRecord workRecord(SettledWork work) {
        WorkOrder order = work.order().order();
        var accepted = ledger.order(work.orderId()).orElseThrow();
        String signer = order.signer() == WorkOrder.Signer.BUYER ? order.buyer() : accepted.custodian();
        // Work bought from another node was paid to its peer account, whose key is the seller's node key.
        boolean purchase = ledger.account(accepted.payee()).map(a -> a.kind() == AccountKind.PEER).orElse(false);
        return new GridRecord.WorkRecord(work.withoutBalances(), key(signer), key(purchase ? accepted.payee() : work.provider()));
    }

    private byte[] key(String account) {
        return ledger.account(account).map(Account::publicKey)
                .orElseThrow(() -> new IllegalStateException("no account " + account));
    }

    private PublishAck publish(JetStream jetStream, GridEntry entry) throws IOException, InterruptedException {
        var options = PublishOptions.builder().messageId(entry.messageId()).expectedStream(GridStreams.STREAM)
                .streamTimeout(Duration.ofSeconds(5)).build();
        byte[] data = entry.encode();
        for (int attempt = 1; ; attempt++) {
            try {
                return jetStream.publish(subject, data, options);
            } catch (IOException | JetStreamApiException e) {
                if (attempt == MAX_ATTEMPTS) throw new IOException("entry " + entry.messageId() + " not acknowledged", e);
                LOG.fine(() -> "publish of " + entry.messageId() + " failed, retrying: " + e.getMessage());
                Thread.sleep(Math.min(1000, 50L * attempt));
            }
        }
    }

    /** Where a node's log ends: the index of its next entry and the digest of its last (zeros when none). */
    public record Tip(long nextIndex, byte[] lastDigest) {
        public Tip {
            lastDigest = lastDigest.clone();
        }

        @Override
        public byte[] lastDigest() {
            return lastDigest.clone();
        }
    }

    /**
     * The node's last entry in the stream, checked to be its own; the empty tip when none. When the
     * last message is someone else's, the applied tip: publishing again from there is safe, since
     * entries are deterministic and every applier refuses an index it applied.
     */
    private Tip lastPublished() throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                var message = connection.jetStreamManagement().getLastMessage(GridStreams.STREAM, subject);
                Optional<Tip> own = ownTip(message.getData());
                if (own.isPresent()) return own.get();
                Tip tip = applied.get().orElseThrow(() ->
                        new IllegalStateException("the last entry on " + subject + " is not this ledger's"));
                LOG.warning(() -> "grid: the last message on " + subject + " is not this node's; publishing after the "
                        + tip.nextIndex() + " entries this node applied");
                return tip;
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() == GridStreams.NO_MESSAGE_FOUND) return new Tip(0, GridEntry.noPrevious());
                if (attempt == MAX_ATTEMPTS) throw new IOException("cannot read the last entry of " + subject, e);
            } catch (IOException e) {
                if (attempt == MAX_ATTEMPTS) throw e;
            }
            Thread.sleep(Math.min(1000, 50L * attempt));
        }
    }
}
