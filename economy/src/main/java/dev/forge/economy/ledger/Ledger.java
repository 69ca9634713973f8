package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.merkle.InclusionProof;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Forge's ledger: accounts, transfers, two-phase holds, dual-signed trades and attested work
 * orders, durable in MapDB, with one RFC 6962 Merkle root over all trades and settled work.
 *
 * <p>Every write goes to one writer thread, which applies a group of commands, writes them as
 * one journal record, syncs it, and only then answers the callers and shows the changes to
 * readers. Reads never wait for the writer and see only durable state.
 *
 * <p>The rules are documented in docs/ledger.md.
 */
public final class Ledger implements AutoCloseable {
    private final LedgerView view;
    private final LedgerWriter writer;
    private final ExecutorService verifierThreads;
    private final Map<String, Ed25519.PublicKey> verifiers = new ConcurrentHashMap<>();

    private Ledger(LedgerView view, LedgerWriter writer, int queueCapacity) {
        this.view = view;
        this.writer = writer;
        int cores = Runtime.getRuntime().availableProcessors();
        this.verifierThreads = new ThreadPoolExecutor(cores, cores, 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueCapacity),
                Thread.ofPlatform().name("forge-ledger-verifier-", 0).daemon(true).factory(),
                Ledger::verifyOnCaller);
    }

    /** Back-pressure: with the verifier queue full, the caller does the work itself. */
    private static void verifyOnCaller(Runnable task, ThreadPoolExecutor pool) {
        if (pool.isShutdown()) throw new LedgerException(LedgerError.LEDGER_CLOSED, "the ledger is closed");
        task.run();
    }

    public static Ledger open(Path directory) {
        return open(directory, LedgerConfig.defaults());
    }

    /**
     * Opens (or creates) the ledger in {@code directory}, replaying and checking its journal.
     *
     * @throws LedgerStorageException if the folder is in use, unreadable or corrupt
     */
    public static Ledger open(Path directory, LedgerConfig config) {
        Journal journal = Journal.open(directory);
        try {
            MerkleLog merkle = new MerkleLog();
            var state = new LedgerState(config.freeTierAmount(), merkle);
            long lastTime = LedgerRecovery.recover(journal, state);
            var view = new LedgerView(merkle);
            state.publishTo(view);
            var writer = new LedgerWriter(journal, state, view, config, lastTime);
            var ledger = new Ledger(view, writer, config.queueCapacity());
            if (journal.isEmpty()) ledger.createSystemAccounts();
            return ledger;
        } catch (LedgerStorageException e) {
            journal.closeQuietly();
            throw e;
        } catch (RuntimeException e) {
            // MapDB fails on reading a damaged file (truncated, bits flipped) with its own errors.
            journal.closeQuietly();
            throw Journal.corrupt("its file cannot be read (" + e + ")", e);
        }
    }

    private void createSystemAccounts() {
        openAccount(AccountSpec.system(LedgerState.TREASURY, AccountKind.TREASURY));
        openAccount(AccountSpec.system(LedgerState.FEES, AccountKind.FEES));
    }

    // ---- writes: each returns once durable, or throws LedgerException ----

    /** Opens an account; an agent account gets the free tier if its key never had it. */
    public AccountResult openAccount(AccountSpec spec) {
        return await(writer.submit(new Command.OpenAccount(spec)));
    }

    public Transfer transfer(TransferRequest request) {
        return transferLinked(List.of(request)).getFirst();
    }

    /** Applies the transfers as one: all succeed, or none does and the first failure is thrown. */
    public List<Transfer> transferLinked(List<TransferRequest> chain) {
        return await(transferLinkedAsync(chain));
    }

    public CompletableFuture<List<Transfer>> transferLinkedAsync(List<TransferRequest> chain) {
        LedgerException.require(chain != null && !chain.isEmpty(), LedgerError.INVALID_ARGUMENT, "no transfers given");
        for (TransferRequest request : chain) {
            LedgerException.require(!request.key().startsWith("~"), LedgerError.INVALID_IDEMPOTENCY_KEY,
                    "keys starting with ~ are reserved for the ledger");
        }
        return writer.submit(new Command.MoveMoney(chain));
    }

    /**
     * Applies a linked chain whose keys all start with {@code ~}: for Forge's own components
     * (the lending pool) whose keys carry the structure that lets them be rebuilt from the ledger
     * alone. Never pass a key an agent chose.
     */
    public List<Transfer> systemTransferLinked(List<TransferRequest> chain) {
        LedgerException.require(chain != null && !chain.isEmpty(), LedgerError.INVALID_ARGUMENT, "no transfers given");
        for (TransferRequest request : chain) {
            LedgerException.require(request.key().startsWith("~"), LedgerError.INVALID_IDEMPOTENCY_KEY,
                    "system transfers use reserved keys, starting with ~");
        }
        return await(writer.submit(new Command.MoveMoney(chain)));
    }

    /**
     * Settles a dual-signed trade: checks both signatures here, on the caller's thread, then
     * moves the amount from consumer to provider (posting {@code holdId}, or directly when it
     * is zero), records the trade and appends it to the Merkle tree, all in one commit.
     */
    public Trade settle(SignedTrade trade, long holdId) {
        return await(settleAsync(trade, holdId));
    }

    /**
     * Like {@link #settle}, without waiting. The signatures are checked on the ledger's
     * verifier threads, one per core: a caller with many trades in flight uses every core,
     * and many callers at once never crowd out the writer. A full verifier queue makes the
     * caller check the signatures itself.
     */
    public CompletableFuture<Trade> settleAsync(SignedTrade trade, long holdId) {
        return CompletableFuture.runAsync(() -> verify(trade, holdId), verifierThreads)
                .thenCompose(verified -> writer.submit(new Command.SettleTrade(trade, holdId)));
    }

    private void verify(SignedTrade trade, long holdId) {
        LedgerException.require(holdId >= 0, LedgerError.INVALID_ARGUMENT, "hold id must not be negative");
        Authorization authorization = trade.authorization();
        Account consumer = view.account(authorization.consumer());
        Account provider = view.account(authorization.provider());
        LedgerException.require(consumer != null, LedgerError.ACCOUNT_NOT_FOUND,
                "consumer account " + authorization.consumer() + " does not exist");
        LedgerException.require(provider != null, LedgerError.ACCOUNT_NOT_FOUND,
                "provider account " + authorization.provider() + " does not exist");
        trade.verify(verifierFor(consumer), verifierFor(provider));
    }

    /** Accounts never change their key, so each is decoded once. */
    private Ed25519.PublicKey verifierFor(Account account) {
        return verifiers.computeIfAbsent(account.id(), id -> Ed25519.PublicKey.decode(account.publicKey()));
    }

    /**
     * Accepts an order its buyer signed: checks the signature against the buyer's registered
     * key, that the buyer never used the nonce, and that the order has not expired, then holds
     * {@link WorkOrder#maxPayment()} until the order's expiry, toward the named provider or,
     * for an open order, toward {@value AcceptedOrder#ESCROW}. The same signed order again
     * returns the original.
     */
    public AcceptedOrder acceptOrder(SignedWorkOrder order) {
        return acceptOrder(order, "");
    }

    /**
     * Accepts a custodial order ({@link WorkOrder.Signer#CUSTODIAL}): as {@link #acceptOrder(SignedWorkOrder)},
     * with the signature checked against the registered key of {@code custodian}, the account
     * (typically the node's provider account) that holds the buyer's key in custody.
     */
    public AcceptedOrder acceptOrder(SignedWorkOrder order, String custodian) {
        LedgerException.require(order != null && custodian != null, LedgerError.INVALID_ARGUMENT, "order and custodian are required");
        return await(writer.submit(new Command.AcceptOrder(order, custodian)));
    }

    /**
     * Accepts an order as {@link #acceptOrder(SignedWorkOrder, String)} does, in place of the
     * pending hold {@code holdId} (a safety pipeline's hold for the same spend): in one commit
     * that hold is voided and the order's hold taken, so the money is held throughout. The hold
     * must be from the order's buyer and of exactly {@link WorkOrder#maxPayment()}, else
     * {@code order_does_not_match_hold}; a work order's own hold is {@code hold_belongs_to_work_order}.
     */
    public AcceptedOrder acceptOrderOnHold(SignedWorkOrder order, String custodian, long holdId) {
        LedgerException.require(order != null && custodian != null, LedgerError.INVALID_ARGUMENT, "order and custodian are required");
        return await(writer.submit(new Command.AcceptOrderOnHold(order, custodian, holdId)));
    }

    /**
     * Settles an accepted order with its provider's attestation, verified by {@link WorkVerifier}
     * against the parties' registered keys, the provider's chain as the ledger knows it, and
     * {@code audience} (this node's id). On a pass the provider gets the attested amount plus
     * the reward, the rest returns to the buyer, the provider's chain advances and the work
     * becomes a leaf of the Merkle log. On a failure ({@link WorkRefusedException}, with every
     * check) nothing changes: the hold stays until {@link #voidWork} or its expiry.
     */
    public SettledWork settleWork(long orderId, SignedAttestation attestation, String audience) {
        return await(settleWorkAsync(orderId, attestation, audience));
    }

    /**
     * Like {@link #settleWork}, without waiting for the commit. The attestation's signature is
     * checked here, on the caller's thread, and not on the verifier threads: one caller's
     * deliveries must reach the writer in the order of the provider's chain.
     */
    public CompletableFuture<SettledWork> settleWorkAsync(long orderId, SignedAttestation attestation, String audience) {
        LedgerException.require(attestation != null && audience != null, LedgerError.INVALID_ARGUMENT,
                "attestation and audience are required");
        try {
            verify(orderId, attestation);
        } catch (LedgerException refused) {
            return CompletableFuture.failedFuture(refused);
        }
        return writer.submit(new Command.SettleWork(orderId, attestation, audience));
    }

    /** With the key of the account to be paid: the attested provider, or the peer node an order was bought from. */
    private void verify(long orderId, SignedAttestation attestation) {
        String id = attestation.attestation().provider();
        AcceptedOrder accepted = order(orderId).orElse(null);
        Account payee = accepted == null ? null : view.account(accepted.payee());
        if (payee != null && payee.kind() == AccountKind.PEER) id = payee.id();
        Account provider = view.account(id);
        LedgerException.require(provider != null, LedgerError.ACCOUNT_NOT_FOUND, "provider account " + id + " does not exist");
        LedgerState.requireProvider(provider);
        if (!attestation.verifies(verifierFor(provider))) {
            throw new WorkRefusedException(new Verification(List.of(new Check("signature.attestation", Check.Verdict.FAIL,
                    "invalid_signature", "the attestation's signature does not verify with " + id + "'s key"))));
        }
    }

    /** Releases an open order's hold to its buyer; returns the void. */
    public Transfer voidWork(long orderId) {
        return await(writer.submit(new Command.VoidWork(orderId)));
    }

    /** Expires every hold whose time is up now; the writer also does this on its own. */
    public int expireDueHolds() {
        return await(writer.submit(new Command.ExpireHolds()));
    }

    // ---- reads: committed state, no waiting ----

    public Optional<Account> account(String id) {
        return Optional.ofNullable(view.account(id));
    }

    public List<Account> accounts() {
        List<Account> all = new ArrayList<>();
        view.accounts().forEach(all::add);
        all.sort(Comparator.comparing(Account::id));
        return all;
    }

    public Optional<Transfer> findTransfer(long id) {
        return Optional.ofNullable(view.transfer(id));
    }

    public Optional<HoldStatus> holdStatus(long holdId) {
        return Optional.ofNullable(view.hold(holdId));
    }

    public long transferCount() {
        return view.transferCount();
    }

    public Optional<Trade> trade(long id) {
        return Optional.ofNullable(view.trade(id));
    }

    /** How many trades were settled; their ids are not contiguous once work is settled too ({@link #logSize()}). */
    public long tradeCount() {
        return view.tradeCount();
    }

    /** Entries in the Merkle log, trades and settled work: their ids are 1 to this. */
    public long logSize() {
        return view.logSize();
    }

    public Optional<SettledWork> settledWork(long id) {
        return Optional.ofNullable(view.settledWork(id));
    }

    public Optional<AcceptedOrder> order(long orderId) {
        return Optional.ofNullable(view.order(orderId)).map(LedgerView.Order::order);
    }

    public Optional<WorkStatus> workStatus(long orderId) {
        return Optional.ofNullable(view.order(orderId)).map(LedgerView.Order::status);
    }

    /** Where the provider's chain stands on this ledger: its next attestation must follow it. */
    public WorkVerifier.ChainTip chainTip(String provider) {
        return view.chainTip(provider);
    }

    /** The Merkle root over all committed trades and settled work (RFC 6962; the empty-tree root when none). */
    public byte[] merkleRoot() {
        return view.merkle().root(view.logSize());
    }

    /** The root of the tree of the first {@code treeSize} entries, so that a root and its proofs can agree. */
    public byte[] merkleRoot(long treeSize) {
        LedgerException.require(treeSize >= 0 && treeSize <= view.logSize(), LedgerError.INVALID_ARGUMENT,
                "no tree of " + treeSize + " entries (there are " + view.logSize() + ")");
        return view.merkle().root(treeSize);
    }

    /** An inclusion proof of a trade or settled work in the tree of the first {@code treeSize} entries. */
    public InclusionProof proof(long id, long treeSize) {
        LedgerException.require(treeSize >= 1 && treeSize <= view.logSize() && id >= 1 && id <= treeSize,
                LedgerError.INVALID_ARGUMENT, "no entry " + id + " in a tree of " + treeSize);
        return view.merkle().proof(id - 1, treeSize);
    }

    /** An inclusion proof of a trade or settled work in the current tree; check it with {@link InclusionProof#verify}. */
    public InclusionProof proof(long id) {
        long size = view.logSize();
        LedgerException.require(id >= 1 && id <= size, LedgerError.INVALID_ARGUMENT,
                "no entry " + id + " (there are " + size + ")");
        return view.merkle().proof(id - 1, size);
    }

    /** The journal's last durable record (0 when new); a ledger swapped for an older copy has a lower one. */
    public long journalHead() {
        return writer.journalHead();
    }

    /** The ledger's sums, computed by the writer between commits so they are exact. */
    public Invariants invariants() {
        return await(writer.query(LedgerState::invariants));
    }

    /** Finishes what was submitted, then closes the file. */
    @Override
    public void close() {
        verifierThreads.shutdown();
        try {
            verifierThreads.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.close();
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) throw cause;
            throw e;
        }
    }
}
