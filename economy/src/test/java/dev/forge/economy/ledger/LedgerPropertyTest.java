package dev.forge.economy.ledger;

import static dev.forge.economy.ledger.Fixtures.CU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.forge.economy.crypto.Ed25519;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Thousands of random operations, each checked against a small reference model written
 * straight from docs/ledger.md: the ledger must accept exactly what the model accepts,
 * and every balance must match after every step, and again after a reopen.
 */
class LedgerPropertyTest {
    private static final int OPERATIONS = 3_000;

    @TempDir Path dir;
    final Fixtures.ManualClock clock = new Fixtures.ManualClock();
    final Map<String, long[]> model = new HashMap<>(); // dp, dP, cp, cP
    final Map<String, Ed25519.KeyPair> keys = new HashMap<>();
    final List<String> ids = new ArrayList<>();
    final Map<Long, ModelHold> holds = new HashMap<>();
    final List<TransferRequest> accepted = new ArrayList<>();
    Random random;
    Ledger ledger;
    int counter;
    long nonce;

    static final class ModelHold {
        final String debit, credit;
        final long amount, expiresAt;
        boolean pending = true;

        ModelHold(String debit, String credit, long amount, long expiresAt) {
            this.debit = debit;
            this.credit = credit;
            this.amount = amount;
            this.expiresAt = expiresAt;
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void randomOperationsKeepTheModelsRules(long seed) {
        random = new Random(seed);
        ledger = Fixtures.open(dir, clock);
        try {
            model.put("treasury", new long[4]);
            model.put("fees", new long[4]);
            for (int i = 0; i < 4; i++) openAgent();
            openSystem("pool", AccountKind.POOL);
            openProvider("node");
            for (int step = 0; step < OPERATIONS; step++) {
                step(step);
                if (step % 250 == 0) ledger.invariants().check();
            }
            ledger.invariants().check();
            ledger.close();
            ledger = Fixtures.open(dir, clock);
            compareAll("after reopen");
        } finally {
            ledger.close();
        }
    }

    private void step(int step) {
        expireModelHolds();
        int choice = random.nextInt(100);
        if (choice < 25) single();
        else if (choice < 40) hold();
        else if (choice < 52) post();
        else if (choice < 58) voidHold();
        else if (choice < 70) trade();
        else if (choice < 78) chain();
        else if (choice < 84) retry();
        else if (choice < 87) openAgent();
        else clock.advance(random.nextInt(3_000));
        if (step % 10 == 0) compareAll("step " + step);
    }

    private void single() {
        String debit = pick(), credit = pickOther(debit);
        long amount = amount();
        var request = TransferRequest.single(key(), debit, credit, amount, 0);
        boolean ok = canSpend(debit, amount);
        if (expect(ok, () -> ledger.transfer(request))) {
            post(debit, credit, amount);
            accepted.add(request);
        }
    }

    private void hold() {
        String debit = pick(), credit = pickOther(debit);
        long amount = amount();
        long timeout = 1 + random.nextInt(10_000);
        boolean ok = canSpend(debit, amount);
        Transfer[] made = new Transfer[1];
        if (expect(ok, () -> made[0] = ledger.transfer(TransferRequest.hold(key(), debit, credit, amount, timeout, 0)))) {
            model.get(debit)[0] += amount;
            model.get(credit)[2] += amount;
            holds.put(made[0].id(), new ModelHold(debit, credit, amount, clock.millis() + timeout));
        }
    }

    private void post() {
        if (holds.isEmpty()) return;
        long id = randomHold();
        ModelHold hold = holds.get(id);
        long amount = 1 + (long) (random.nextDouble() * hold.amount * 1.1);
        boolean ok = hold.pending && amount <= hold.amount;
        if (expect(ok, () -> ledger.transfer(TransferRequest.post(key(), id, amount)))) {
            release(hold);
            post(hold.debit, hold.credit, amount);
        }
    }

    private void voidHold() {
        if (holds.isEmpty()) return;
        long id = randomHold();
        ModelHold hold = holds.get(id);
        if (expect(hold.pending, () -> ledger.transfer(TransferRequest.voidHold(key(), id)))) release(hold);
    }

    private void trade() {
        String consumer = agent();
        long amount = 1 + random.nextLong(300 * CU);
        SignedTrade signed = Fixtures.trade(keys.get(consumer), consumer, keys.get("node"), "node",
                amount, amount, ++nonce, clock.millis() + 10_000);
        if (expect(canSpend(consumer, amount), () -> ledger.settle(signed, 0))) post(consumer, "node", amount);
    }

    private void chain() {
        String a = pick(), b = pickOther(a), c = pickOther(b);
        long first = amount(), second = amount();
        long[] mid = model.get(b);
        boolean secondOk = b.equals("treasury") || mid[0] + mid[1] + second <= mid[3] + first;
        boolean ok = canSpend(a, first) && secondOk;
        var chain = List.of(TransferRequest.single(key(), a, b, first, 0), TransferRequest.single(key(), b, c, second, 0));
        if (expect(ok, () -> ledger.transferLinked(chain))) {
            post(a, b, first);
            post(b, c, second);
        }
    }

    private void retry() {
        if (accepted.isEmpty()) return;
        TransferRequest again = accepted.get(random.nextInt(accepted.size()));
        long count = ledger.transferCount();
        ledger.transfer(again);
        assertEquals(count, ledger.transferCount(), "a retry must not add a transfer");
    }

    private void openAgent() {
        String id = "agent-" + ids.size();
        boolean reuseKey = !keys.isEmpty() && random.nextInt(5) == 0;
        Ed25519.KeyPair key = reuseKey ? keys.get(agent()) : Fixtures.key(1000 + ids.size());
        AccountResult result = ledger.openAccount(AccountSpec.agent(id, key.publicKey()));
        assertEquals(!reuseKey, result.freeTierGranted(), "free tier once per key");
        model.put(id, new long[4]);
        if (!reuseKey) post("treasury", id, 1_000 * CU);
        keys.put(id, key);
        ids.add(id);
    }

    private void openSystem(String id, AccountKind kind) {
        ledger.openAccount(AccountSpec.system(id, kind));
        model.put(id, new long[4]);
        ids.add(id);
    }

    private void openProvider(String id) {
        Ed25519.KeyPair key = Fixtures.key(7);
        ledger.openAccount(AccountSpec.provider(id, key.publicKey()));
        model.put(id, new long[4]);
        keys.put(id, key);
        ids.add(id);
    }

    // ---- the model ----

    private boolean canSpend(String id, long amount) {
        if (id.equals("treasury")) return true;
        long[] b = model.get(id);
        return b[0] + b[1] + amount <= b[3];
    }

    private void post(String debit, String credit, long amount) {
        model.get(debit)[1] += amount;
        model.get(credit)[3] += amount;
    }

    private void release(ModelHold hold) {
        hold.pending = false;
        model.get(hold.debit)[0] -= hold.amount;
        model.get(hold.credit)[2] -= hold.amount;
    }

    private void expireModelHolds() {
        for (ModelHold hold : holds.values()) {
            if (hold.pending && hold.expiresAt <= clock.millis()) release(hold);
        }
    }

    private void compareAll(String when) {
        ledger.expireDueHolds(); // due holds expire at the writer's next batch; make that now
        expireModelHolds();
        for (var entry : model.entrySet()) {
            Account a = ledger.account(entry.getKey()).orElseThrow();
            long[] b = entry.getValue();
            long[] actual = {a.debitsPending(), a.debitsPosted(), a.creditsPending(), a.creditsPosted()};
            assertTrue(java.util.Arrays.equals(b, actual), when + ": " + a + " but the model says "
                    + java.util.Arrays.toString(b));
            assertTrue(!a.kind().mustNotOverdraw() || a.available() >= 0, when + ": overdrawn " + a);
        }
    }

    /** Runs the call; it must succeed exactly when the model says so. Returns whether it did. */
    private boolean expect(boolean ok, Runnable call) {
        try {
            call.run();
            if (!ok) fail("the ledger accepted what the model refuses");
            return true;
        } catch (LedgerException e) {
            if (ok) fail("the ledger refused what the model accepts: " + e);
            return false;
        }
    }

    // ---- choices ----

    private String pick() {
        return random.nextInt(30) == 0 ? "treasury" : ids.get(random.nextInt(ids.size()));
    }

    private String pickOther(String not) {
        String id;
        do id = ids.get(random.nextInt(ids.size())); while (id.equals(not));
        return id;
    }

    private String agent() {
        String id;
        do id = ids.get(random.nextInt(ids.size())); while (!id.startsWith("agent-"));
        return id;
    }

    private long randomHold() {
        List<Long> all = new ArrayList<>(holds.keySet());
        return all.get(random.nextInt(all.size()));
    }

    private long amount() {
        return 1 + random.nextLong(random.nextBoolean() ? 50 * CU : 700 * CU);
    }

    private String key() {
        return "k" + counter++;
    }
}
