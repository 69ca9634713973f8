package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.merkle.MerkleLog;
import dev.forge.economy.work.Attestation;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkOrder;
import dev.forge.economy.work.WorkVerifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The ledger's state, owned by its one writer thread: no locks, no sharing.
 *
 * <p>Each command either applies whole or not at all: every mutation pushes its inverse on an
 * undo log, and a refusal unwinds it. Readers never see this object; the writer publishes
 * committed changes to a {@link LedgerView}.
 */
final class LedgerState {
    static final String TREASURY = "treasury";
    static final String FEES = "fees";

    private final long freeTierAmount;
    private final Map<String, Account> accounts = new HashMap<>();
    private final List<Transfer> transfers = new ArrayList<>();
    private final Map<String, Keyed> keys = new HashMap<>();
    private final Map<Long, HoldStatus> holds = new HashMap<>();
    private final NavigableSet<Expiry> expiries = new TreeSet<>();
    private final Map<Nonce, Trade> nonces = new HashMap<>();
    private final Set<String> freeTierIdentities = new HashSet<>();
    private final List<Trade> trades = new ArrayList<>();
    private final Map<Long, AcceptedOrder> orders = new HashMap<>();
    private final Map<String, Long> orderNonces = new HashMap<>();
    private final Map<Long, SettledWork> settledByOrder = new HashMap<>();
    private final List<SettledWork> settled = new ArrayList<>();
    private final Map<String, WorkVerifier.ChainTip> chainTips = new HashMap<>();
    private final Map<String, Ed25519.PublicKey> decodedKeys = new HashMap<>();
    private final MerkleLog merkle;
    private final Deque<Runnable> undo = new ArrayDeque<>();
    private final Set<String> dirtyAccounts = new HashSet<>();
    private final Set<Long> dirtyHolds = new HashSet<>();
    private final Set<Long> dirtyOrders = new HashSet<>();
    private final Set<String> dirtyTips = new HashSet<>();
    private int publishedTransfers;
    private int publishedTrades;
    private int publishedWork;
    /** Set only while a work command resolves its own hold: nothing else may post or void one. */
    private boolean resolvingWork;

    private record Keyed(TransferRequest request, long transferId) {}

    private record Nonce(String consumer, long nonce) {}

    private record Expiry(long at, long transferId) implements Comparable<Expiry> {
        public int compareTo(Expiry other) {
            int byTime = Long.compare(at, other.at);
            return byTime != 0 ? byTime : Long.compare(transferId, other.transferId);
        }
    }

    LedgerState(long freeTierAmount, MerkleLog merkle) {
        this.freeTierAmount = freeTierAmount;
        this.merkle = merkle;
    }

    /** What applying a command gave, and whether it changed anything (a retry changes nothing). */
    record Outcome(Object result, boolean changed) {}

    /** Applies one command at ledger time {@code now}: all of it, or (on a throw) none of it. */
    Outcome apply(Command command, long now) {
        undo.clear();
        try {
            Object result = switch (command) {
                case Command.OpenAccount open -> openAccount(open.spec(), now);
                case Command.MoveMoney move -> moveMoney(move.chain(), now);
                case Command.SettleTrade settle -> settleTrade(settle.trade(), settle.holdId(), now);
                case Command.ExpireHolds ignored -> expireHolds(now);
                case Command.AcceptOrder accept -> acceptOrder(accept.order(), accept.custodian(), now);
                case Command.SettleWork settle -> settleWork(settle.orderId(), settle.attestation(), settle.audience(), now);
                case Command.VoidWork voided -> voidWork(voided.orderId(), now);
                case Command.AcceptOrderOnHold accept -> acceptOrderOnHold(accept.order(), accept.custodian(),
                        accept.holdId(), now);
            };
            boolean changed = !undo.isEmpty();
            undo.clear();
            return new Outcome(result, changed);
        } catch (RuntimeException refusal) {
            while (!undo.isEmpty()) undo.pop().run();
            throw refusal;
        }
    }

    // ---- accounts ----

    private AccountResult openAccount(AccountSpec spec, long now) {
        Account existing = accounts.get(spec.id());
        if (existing != null) {
            boolean same = existing.kind() == spec.kind() && existing.sameKeyAs(spec.publicKey());
            LedgerException.require(same, LedgerError.ACCOUNT_EXISTS_WITH_DIFFERENT_FIELDS,
                    "account " + spec.id() + " exists with another kind or key");
            return new AccountResult(existing, false, false);
        }
        putAccount(Account.open(spec, now));
        boolean granted = spec.kind() == AccountKind.AGENT && freeTierAmount > 0 && grantFreeTier(spec, now);
        return new AccountResult(accounts.get(spec.id()), true, granted);
    }

    /** Once per identity: the key, so a new account name with an old key gets nothing. */
    private boolean grantFreeTier(AccountSpec spec, long now) {
        String identity = HexFormat.of().formatHex(spec.publicKey());
        if (freeTierIdentities.contains(identity)) return false;
        freeTierIdentities.add(identity);
        undo.push(() -> freeTierIdentities.remove(identity));
        var grant = TransferRequest.single("~free-tier:" + identity, TREASURY, spec.id(), freeTierAmount,
                TransferCode.FREE_TIER);
        applyTransfer(grant, now);
        return true;
    }

    private void putAccount(Account account) {
        Account previous = accounts.put(account.id(), account);
        dirtyAccounts.add(account.id());
        undo.push(() -> {
            if (previous == null) accounts.remove(account.id());
            else accounts.put(account.id(), previous);
        });
    }

    private Account account(String id, String role) {
        Account account = accounts.get(id);
        LedgerException.require(account != null, LedgerError.ACCOUNT_NOT_FOUND, role + " account " + id + " does not exist");
        return account;
    }

    // ---- transfers ----

    private List<Transfer> moveMoney(List<TransferRequest> chain, long now) {
        LedgerException.require(!chain.isEmpty() && chain.size() <= Limits.MAX_CHAIN_LENGTH, LedgerError.INVALID_ARGUMENT,
                "a chain holds 1 to " + Limits.MAX_CHAIN_LENGTH + " transfers, got " + chain.size());
        List<Transfer> repeated = repeatedChain(chain);
        if (repeated != null) return repeated;
        List<Transfer> done = new ArrayList<>(chain.size());
        for (int i = 0; i < chain.size(); i++) {
            try {
                done.add(applyTransfer(chain.get(i), now));
            } catch (LedgerException e) {
                if (chain.size() == 1) throw e;
                throw new LedgerException(e.error(), "transfer " + i + " of a linked chain of " + chain.size()
                        + " failed, so none was applied: " + e.getMessage());
            }
        }
        return done;
    }

    /** A chain whose every key is known with the same fields is a retry: answer with the originals. */
    private List<Transfer> repeatedChain(List<TransferRequest> chain) {
        Set<String> seen = new HashSet<>();
        int known = 0;
        for (TransferRequest request : chain) {
            LedgerException.require(seen.add(request.key()), LedgerError.INVALID_IDEMPOTENCY_KEY,
                    "key " + Limits.quote(request.key()) + " appears twice in one chain");
            Keyed keyed = keys.get(request.key());
            if (keyed == null) continue;
            LedgerException.require(keyed.request().equals(request), LedgerError.EXISTS_WITH_DIFFERENT_FIELDS,
                    "key " + Limits.quote(request.key()) + " was used for a different transfer");
            known++;
        }
        if (known == 0) return null;
        LedgerException.require(known == chain.size(), LedgerError.EXISTS_WITH_DIFFERENT_FIELDS,
                "some keys of this chain were used before and some were not: not a retry");
        return chain.stream().map(request -> transfer(keys.get(request.key()).transferId())).toList();
    }

    private Transfer applyTransfer(TransferRequest request, long now) {
        Keyed keyed = keys.get(request.key());
        if (keyed != null) {
            LedgerException.require(keyed.request().equals(request), LedgerError.EXISTS_WITH_DIFFERENT_FIELDS,
                    "key " + Limits.quote(request.key()) + " was used for a different transfer");
            return transfer(keyed.transferId());
        }
        Transfer transfer = switch (request.phase()) {
            case SINGLE, PENDING -> move(request, now);
            case POST, VOID -> resolve(request, now);
        };
        transfers.add(transfer);
        undo.push(() -> transfers.removeLast());
        keys.put(request.key(), new Keyed(request, transfer.id()));
        undo.push(() -> keys.remove(request.key()));
        return transfer;
    }

    private Transfer move(TransferRequest request, long now) {
        Account debit = account(request.debitAccount(), "debit");
        Account credit = account(request.creditAccount(), "credit");
        long amount = request.amount();
        requireCanSpend(debit, amount);
        long id = transfers.size() + 1L;
        if (request.phase() == Phase.PENDING) {
            putAccount(debit.withDebitsPending(add(debit.debitsPending(), amount)));
            putAccount(credit.withCreditsPending(add(credit.creditsPending(), amount)));
            setHold(id, HoldStatus.PENDING);
            Expiry expiry = new Expiry(now + request.timeoutMillis(), id);
            expiries.add(expiry);
            undo.push(() -> expiries.remove(expiry));
        } else {
            putAccount(debit.withDebitsPosted(add(debit.debitsPosted(), amount)));
            putAccount(credit.withCreditsPosted(add(credit.creditsPosted(), amount)));
        }
        return new Transfer(id, request.key(), request.phase(), debit.id(), credit.id(), amount, 0,
                request.timeoutMillis(), request.code(), now);
    }

    private void requireCanSpend(Account debit, long amount) {
        if (!debit.kind().mustNotOverdraw()) return;
        long committed = add(debit.debitsPending(), debit.debitsPosted());
        LedgerException.require(add(committed, amount) <= debit.creditsPosted(), LedgerError.INSUFFICIENT_FUNDS,
                "account " + debit.id() + " has " + debit.available() + " µCU available, needs " + amount);
    }

    private Transfer resolve(TransferRequest request, long now) {
        LedgerException.require(resolvingWork || !orders.containsKey(request.pendingId()),
                LedgerError.HOLD_BELONGS_TO_WORK_ORDER, "hold " + request.pendingId()
                        + " is a work order's: only its attestation, voidWork or its expiry resolve it");
        Transfer hold = pendingHold(request.pendingId(), now);
        boolean post = request.phase() == Phase.POST;
        LedgerException.require(!post || request.amount() <= hold.amount(), LedgerError.EXCEEDS_PENDING_AMOUNT,
                "post of " + request.amount() + " µCU exceeds the hold of " + hold.amount());
        long posted = post ? request.amount() : 0;
        Account debit = account(hold.debitAccount(), "debit");
        Account credit = account(hold.creditAccount(), "credit");
        putAccount(debit.withDebitsPending(debit.debitsPending() - hold.amount())
                .withDebitsPosted(add(debit.debitsPosted(), posted)));
        putAccount(credit.withCreditsPending(credit.creditsPending() - hold.amount())
                .withCreditsPosted(add(credit.creditsPosted(), posted)));
        setHold(hold.id(), post ? HoldStatus.POSTED : HoldStatus.VOIDED);
        Expiry expiry = new Expiry(hold.expiresAt(), hold.id());
        expiries.remove(expiry);
        undo.push(() -> expiries.add(expiry));
        long amount = post ? posted : hold.amount();
        return new Transfer(transfers.size() + 1L, request.key(), request.phase(), hold.debitAccount(),
                hold.creditAccount(), amount, hold.id(), 0, hold.code(), now);
    }

    private Transfer pendingHold(long pendingId, long now) {
        Transfer hold = pendingId <= transfers.size() ? transfer(pendingId) : null;
        LedgerException.require(hold != null && hold.phase() == Phase.PENDING, LedgerError.PENDING_TRANSFER_NOT_FOUND,
                "transfer " + pendingId + " is not a hold");
        HoldStatus status = holds.get(pendingId);
        LedgerException.require(status != HoldStatus.POSTED, LedgerError.PENDING_TRANSFER_ALREADY_POSTED,
                "hold " + pendingId + " was already posted");
        LedgerException.require(status != HoldStatus.VOIDED, LedgerError.PENDING_TRANSFER_ALREADY_VOIDED,
                "hold " + pendingId + " was already voided");
        LedgerException.require(status == HoldStatus.PENDING && now < hold.expiresAt(),
                LedgerError.PENDING_TRANSFER_EXPIRED, "hold " + pendingId + " expired");
        return hold;
    }

    private void setHold(long id, HoldStatus status) {
        HoldStatus previous = holds.put(id, status);
        dirtyHolds.add(id);
        undo.push(() -> {
            if (previous == null) holds.remove(id);
            else holds.put(id, previous);
        });
    }

    private int expireHolds(long now) {
        int expired = 0;
        while (!expiries.isEmpty() && expiries.first().at() <= now) {
            Expiry expiry = expiries.pollFirst();
            undo.push(() -> expiries.add(expiry));
            Transfer hold = transfer(expiry.transferId());
            Account debit = accounts.get(hold.debitAccount());
            Account credit = accounts.get(hold.creditAccount());
            putAccount(debit.withDebitsPending(debit.debitsPending() - hold.amount()));
            putAccount(credit.withCreditsPending(credit.creditsPending() - hold.amount()));
            setHold(hold.id(), HoldStatus.EXPIRED);
            expired++;
        }
        return expired;
    }

    // ---- trades ----

    private Trade settleTrade(SignedTrade signed, long holdId, long now) {
        Authorization authorization = signed.authorization();
        Nonce nonce = new Nonce(authorization.consumer(), authorization.nonce());
        Trade earlier = nonces.get(nonce);
        if (earlier != null) {
            LedgerException.require(earlier.signed().equals(signed), LedgerError.NONCE_REUSED,
                    "nonce " + authorization.nonce() + " of " + authorization.consumer() + " already settled trade " + earlier.id());
            return earlier;
        }
        requireParties(authorization);
        LedgerException.require(now <= authorization.expiresAt(), LedgerError.AUTHORIZATION_EXPIRED,
                "the authorization expired at " + authorization.expiresAt() + ", it is now " + now);
        Transfer payment = applyTransfer(paymentFor(signed, holdId, now), now);
        Trade trade = new Trade(merkle.size() + 1, signed, payment.id(), now, balance(authorization.consumer()),
                balance(authorization.provider()));
        nonces.put(nonce, trade);
        undo.push(() -> nonces.remove(nonce));
        // The last step, and the only one that cannot be undone: nothing may fail after it.
        trades.add(trade);
        merkle.append(trade.leafHash());
        return trade;
    }

    /** An account's posted balance as this step leaves it: what a settlement reports as "balance after". */
    private long balance(String account) {
        return accounts.get(account).balance();
    }

        private void requireParties(Authorization authorization) {
        Account consumer = account(authorization.consumer(), "consumer");
        Account provider = account(authorization.provider(), "provider");
        LedgerException.require(consumer.hasPublicKey() && provider.hasPublicKey(), LedgerError.INVALID_SIGNATURE,
                "both parties of a trade need a signing key");
    }

    private TransferRequest paymentFor(SignedTrade signed, long holdId, long now) {
        Authorization authorization = signed.authorization();
        String key = "~trade:" + authorization.consumer() + ":" + authorization.nonce();
        long amount = signed.delivery().amount();
        if (holdId == 0) {
            return TransferRequest.single(key, authorization.consumer(), authorization.provider(), amount, TransferCode.TRADE);
        }
        Transfer hold = pendingHold(holdId, now);
        LedgerException.require(hold.debitAccount().equals(authorization.consumer())
                        && hold.creditAccount().equals(authorization.provider()), LedgerError.TRADE_DOES_NOT_MATCH_HOLD,
                "hold " + holdId + " is from " + hold.debitAccount() + " to " + hold.creditAccount()
                        + ", the trade is from " + authorization.consumer() + " to " + authorization.provider());
        return TransferRequest.post(key, holdId, amount);
    }

    // ---- work orders ----

    private AcceptedOrder acceptOrder(SignedWorkOrder signed, String custodian, long now) {
        WorkOrder order = signed.order();
        String nonceKey = WorkVerifier.nonceKey(order);
        Long earlier = orderNonces.get(nonceKey);
        if (earlier != null) return repeatedOrder(orders.get(earlier), signed, custodian);
        String payer = payer(order, custodian);
        LedgerException.require(signed.verifies(orderKey(order, custodian)), LedgerError.INVALID_SIGNATURE,
                "the order's signature does not verify with the " + (custodian.isEmpty() ? "buyer's" : custodian + "'s") + " key");
        LedgerException.require(now < order.expiresAt(), LedgerError.ORDER_EXPIRED,
                "the order expired at " + order.expiresAt() + ", it is now " + now);
        long timeout = order.expiresAt() - now;
        LedgerException.require(timeout <= Limits.MAX_HOLD_TIMEOUT_MILLIS, LedgerError.INVALID_TIMEOUT,
                "an order may expire at most 24 h after it is accepted; this one expires in " + timeout + " ms");
        String payee = order.openToAny() ? workEscrow(now) : payee(order);
        Transfer hold = applyTransfer(TransferRequest.hold("~work:" + nonceKey, payer, payee, order.maxPayment(),
                timeout, TransferCode.WORK), now);
        var accepted = new AcceptedOrder(hold.id(), signed, custodian, payee, now);
        orders.put(accepted.id(), accepted);
        undo.push(() -> orders.remove(accepted.id()));
        orderNonces.put(nonceKey, accepted.id());
        undo.push(() -> orderNonces.remove(nonceKey));
        dirtyOrders.add(accepted.id());
        return accepted;
    }

    /**
     * The order's hold replaces {@code holdId}, a pending hold from the buyer of exactly the
     * order's most payment: the void and the new hold are one step, so no other spend can take
     * the money between them. The same signed order again returns the original.
     */
    private AcceptedOrder acceptOrderOnHold(SignedWorkOrder signed, String custodian, long holdId, long now) {
        WorkOrder order = signed.order();
        String nonceKey = WorkVerifier.nonceKey(order);
        Long earlier = orderNonces.get(nonceKey);
        if (earlier != null) return repeatedOrder(orders.get(earlier), signed, custodian);
        Transfer hold = pendingHold(holdId, now);
        LedgerException.require(hold.debitAccount().equals(order.buyer()) && hold.amount() == order.maxPayment(),
                LedgerError.ORDER_DOES_NOT_MATCH_HOLD, "hold " + holdId + " is " + hold.amount() + " µCU from "
                        + hold.debitAccount() + "; the order holds " + order.maxPayment() + " µCU from " + order.buyer());
        applyTransfer(TransferRequest.voidHold(AcceptedOrder.movedHoldKey(nonceKey), holdId), now);
        return acceptOrder(signed, custodian, now);
    }

    /**
     * Who pays an order: its buyer, or for remote work sold here, the buyer's home node: an order
     * held in custody by a {@link AccountKind#PEER} account is paid by that peer, since the buyer
     * is an account of the peer's own ledger (docs/grid.md, money between nodes).
     */
    private String payer(WorkOrder order, String custodian) {
        Account peer = custodian.isEmpty() ? null : accounts.get(custodian);
        if (peer != null && peer.kind() == AccountKind.PEER) return peer.id();
        return account(order.buyer(), "buyer").id();
    }

    /**
     * Who is paid: the named provider, or for remote work bought here, the seller's node: an
     * order whose audience is a node id this ledger keeps a {@link AccountKind#PEER} account for.
     */
    private String payee(WorkOrder order) {
        Account peer = accounts.get(AccountSpec.PEER_PREFIX + order.audience());
        if (peer != null && peer.kind() == AccountKind.PEER) return peer.id();
        return provider(order.provider()).id();
    }

    /** The account whose key signed settled work's attestation: its provider, or the peer node it was bought from. */
    String attestedBy(SettledWork work) {
        AcceptedOrder accepted = orders.get(work.orderId());
        return accepted != null && isPeer(accepted.payee()) ? accepted.payee() : work.provider();
    }

    private boolean isPeer(String id) {
        Account account = accounts.get(id);
        return account != null && account.kind() == AccountKind.PEER;
    }

    /** The account an accepted order's hold debits. */
    private String payerOf(AcceptedOrder accepted) {
        return transfer(accepted.id()).debitAccount();
    }

    /** The same signed order again is a retry; another order with the nonce is a replay. */
    private static AcceptedOrder repeatedOrder(AcceptedOrder known, SignedWorkOrder signed, String custodian) {
        LedgerException.require(known.signed().equals(signed) && known.custodian().equals(custodian), LedgerError.NONCE_REUSED,
                "buyer " + known.buyer() + " used this nonce for order " + known.id());
        return known;
    }

    /** The buyer's key, or for a custodial order the key of the account that holds it in custody. */
    private Ed25519.PublicKey orderKey(WorkOrder order, String custodian) {
        boolean custodial = order.signer() == WorkOrder.Signer.CUSTODIAL;
        LedgerException.require(custodial != custodian.isEmpty(), LedgerError.INVALID_ARGUMENT,
                custodial ? "a custodial order names its custodian" : "an order the buyer signed has no custodian");
        Account signer = account(custodial ? custodian : order.buyer(), custodial ? "custodian" : "buyer");
        LedgerException.require(signer.hasPublicKey(), LedgerError.INVALID_SIGNATURE, signer.id() + " has no signing key");
        return key(signer);
    }

    private Account provider(String id) {
        return requireProvider(account(id, "provider"));
    }

    /** A provider is an agent or provider account with its own key: whoever signs attestations. */
    static Account requireProvider(Account provider) {
        boolean kind = provider.kind() == AccountKind.PROVIDER || provider.kind() == AccountKind.AGENT
                || provider.kind() == AccountKind.PEER;
        LedgerException.require(kind && provider.hasPublicKey(), LedgerError.INVALID_PROVIDER_ACCOUNT, "account "
                + provider.id() + " is a " + provider.kind() + " account; work is delivered by PROVIDER or AGENT accounts");
        return provider;
    }

    /** Opened on first use, so that a ledger written before work orders gains it in a new record. */
    private String workEscrow(long now) {
        Account escrow = accounts.get(AcceptedOrder.ESCROW);
        if (escrow == null) putAccount(Account.open(AccountSpec.system(AcceptedOrder.ESCROW, AccountKind.ESCROW), now));
        else LedgerException.require(escrow.kind() == AccountKind.ESCROW && !escrow.hasPublicKey(),
                LedgerError.ACCOUNT_EXISTS_WITH_DIFFERENT_FIELDS, AcceptedOrder.ESCROW + " exists and is not the work escrow");
        return AcceptedOrder.ESCROW;
    }

    private SettledWork settleWork(long orderId, SignedAttestation signed, String audience, long now) {
        AcceptedOrder accepted = acceptedOrder(orderId);
        SettledWork done = settledByOrder.get(orderId);
        if (done != null && done.attestation().equals(signed)) return done;
        LedgerException.require(workStatus(orderId) != WorkStatus.VOIDED, LedgerError.WORK_ORDER_CLOSED,
                "order " + orderId + " was voided");
        Attestation attestation = signed.attestation();
        boolean purchase = isPeer(accepted.payee());
        Account provider = provider(purchase ? accepted.payee() : attestation.provider());
        String payer = payerOf(accepted);
        LedgerException.require(!provider.id().equals(payer), LedgerError.ACCOUNTS_MUST_BE_DIFFERENT,
                "the buyer cannot deliver its own order");
        // The signatures were checked before: the order's on acceptance, the attestation's by the caller (Ledger).
        // A purchase's chain is the seller node's, checked on its ledger: here it is only where the attestation says.
        WorkVerifier.Context context = purchase
                ? new WorkVerifier.Context(now, audience, nonceKey -> isSettled(orderNonces.get(nonceKey)),
                        new WorkVerifier.ChainTip(attestation.logIndex(), attestation.previousDigest()))
                : context(provider.id(), audience, now);
        Verification verification = WorkVerifier.verifyBinding(accepted.signed(), signed, context);
        if (!verification.verified()) throw new WorkRefusedException(verification);
        LedgerException.require(workStatus(orderId) == WorkStatus.OPEN && now < accepted.expiresAt(),
                LedgerError.ORDER_EXPIRED, "order " + orderId + " expired at " + accepted.expiresAt());
        Transfer payment = pay(accepted, provider.id(), attestation.amount() + accepted.order().reward(), now);
        if (!purchase) advanceChain(provider.id(), signed);
        return recordSettled(new SettledWork(merkle.size() + 1, orderId, accepted.signed(), signed, payment.id(), now,
                balance(payer), balance(provider.id())));
    }

    private WorkVerifier.Context context(String provider, String audience, long now) {
        return new WorkVerifier.Context(now, audience, nonceKey -> isSettled(orderNonces.get(nonceKey)),
                chainTips.getOrDefault(provider, WorkVerifier.ChainTip.empty()));
    }

    private boolean isSettled(Long orderId) {
        return orderId != null && settledByOrder.containsKey(orderId);
    }

    /** Posts what is owed (the rest returns to the buyer); an open order's money moves on from escrow. */
    private Transfer pay(AcceptedOrder accepted, String provider, long owed, long now) {
        String key = "~work:" + accepted.id();
        if (owed == 0) return resolveWork(TransferRequest.voidHold(key + ":void", accepted.id()), now);
        Transfer post = resolveWork(TransferRequest.post(key + ":post", accepted.id(), owed), now);
        if (accepted.payee().equals(provider)) return post;
        return applyTransfer(TransferRequest.single(key + ":pay", accepted.payee(), provider, owed, TransferCode.WORK), now);
    }

    private Transfer resolveWork(TransferRequest request, long now) {
        resolvingWork = true;
        try {
            return applyTransfer(request, now);
        } finally {
            resolvingWork = false;
        }
    }

    private void advanceChain(String provider, SignedAttestation signed) {
        WorkVerifier.ChainTip previous = chainTips.put(provider,
                chainTips.getOrDefault(provider, WorkVerifier.ChainTip.empty()).after(signed));
        dirtyTips.add(provider);
        undo.push(() -> {
            if (previous == null) chainTips.remove(provider);
            else chainTips.put(provider, previous);
        });
    }

    private SettledWork recordSettled(SettledWork work) {
        settledByOrder.put(work.orderId(), work);
        undo.push(() -> settledByOrder.remove(work.orderId()));
        dirtyOrders.add(work.orderId());
        // The last step, and the only one that cannot be undone: nothing may fail after it.
        settled.add(work);
        merkle.append(work.leafHash());
        return work;
    }

    private Transfer voidWork(long orderId, long now) {
        acceptedOrder(orderId);
        WorkStatus status = workStatus(orderId);
        LedgerException.require(status != WorkStatus.SETTLED && status != WorkStatus.VOIDED, LedgerError.WORK_ORDER_CLOSED,
                "order " + orderId + " was already " + status.name().toLowerCase(java.util.Locale.ROOT));
        LedgerException.require(status == WorkStatus.OPEN && now < transfer(orderId).expiresAt(), LedgerError.ORDER_EXPIRED,
                "order " + orderId + " expired");
        return resolveWork(TransferRequest.voidHold("~work:" + orderId + ":void", orderId), now);
    }

    private AcceptedOrder acceptedOrder(long orderId) {
        AcceptedOrder accepted = orders.get(orderId);
        LedgerException.require(accepted != null, LedgerError.WORK_ORDER_NOT_FOUND, "no work order " + orderId);
        return accepted;
    }

    private WorkStatus workStatus(long orderId) {
        return statusOf(settledByOrder.containsKey(orderId), holds.get(orderId));
    }

    /** A settled order's hold is posted, or voided when nothing was owed. */
    private static WorkStatus statusOf(boolean settled, HoldStatus hold) {
        if (settled) return WorkStatus.SETTLED;
        return switch (hold) {
            case PENDING -> WorkStatus.OPEN;
            case VOIDED -> WorkStatus.VOIDED;
            case POSTED -> throw new IllegalStateException("a work hold is posted only by its settlement");
            case EXPIRED -> WorkStatus.EXPIRED;
        };
    }

    /** Keys never change, so each is decoded once; keyed by its bytes, not the account id. */
    private Ed25519.PublicKey key(Account account) {
        return decodedKeys.computeIfAbsent(account.publicKeyHex(), hex -> Ed25519.PublicKey.decode(account.publicKey()));
    }

    private static long add(long a, long b) {
        try {
            return Math.addExact(a, b);
        } catch (ArithmeticException e) {
            throw new LedgerException(LedgerError.OVERFLOW, "a balance would overflow 64 bits");
        }
    }

    // ---- reads for the writer, replay and publishing ----

    Transfer transfer(long id) {
        return transfers.get((int) (id - 1));
    }

    Account accountOrNull(String id) {
        return accounts.get(id);
    }

    long earliestExpiry() {
        return expiries.isEmpty() ? Long.MAX_VALUE : expiries.first().at();
    }

    List<Trade> trades() {
        return trades;
    }

    List<SettledWork> settledWork() {
        return settled;
    }

    Invariants invariants() {
        long debitsPending = 0, creditsPending = 0, debitsPosted = 0, creditsPosted = 0, overdrawn = 0, issued = 0;
        for (Account a : accounts.values()) {
            debitsPending = Math.addExact(debitsPending, a.debitsPending());
            creditsPending = Math.addExact(creditsPending, a.creditsPending());
            debitsPosted = Math.addExact(debitsPosted, a.debitsPosted());
            creditsPosted = Math.addExact(creditsPosted, a.creditsPosted());
            boolean negative = a.debitsPending() < 0 || a.creditsPending() < 0;
            boolean overdraw = a.kind().mustNotOverdraw() && a.debitsPending() + a.debitsPosted() > a.creditsPosted();
            if (negative || overdraw) overdrawn++;
            if (a.kind() == AccountKind.TREASURY) issued = Math.addExact(issued, -a.balance());
        }
        return new Invariants(accounts.size(), debitsPending, creditsPending, debitsPosted, creditsPosted, issued, overdrawn);
    }

    /** Hands everything changed since the last call to the view, after it became durable. */
    void publishTo(LedgerView view) {
        // An id may be dirty from a command that was refused and undone: publish what exists.
        for (String id : dirtyAccounts) {
            Account account = accounts.get(id);
            if (account != null) view.putAccount(account);
        }
        for (long id : dirtyHolds) {
            HoldStatus status = holds.get(id);
            if (status != null) view.putHold(id, status);
        }
        for (; publishedTransfers < transfers.size(); publishedTransfers++) view.addTransfer(transfers.get(publishedTransfers));
        for (; publishedTrades < trades.size(); publishedTrades++) view.addTrade(trades.get(publishedTrades));
        for (; publishedWork < settled.size(); publishedWork++) view.addSettledWork(settled.get(publishedWork));
        for (long id : dirtyHolds) if (orders.containsKey(id)) dirtyOrders.add(id);
        for (long id : dirtyOrders) {
            AcceptedOrder order = orders.get(id);
            if (order != null) view.putOrder(order, workStatus(id));
        }
        for (String provider : dirtyTips) {
            WorkVerifier.ChainTip tip = chainTips.get(provider);
            if (tip != null) view.putChainTip(provider, tip);
        }
        view.setCounts(trades.size(), merkle.size());
        dirtyAccounts.clear();
        dirtyHolds.clear();
        dirtyOrders.clear();
        dirtyTips.clear();
    }
}
