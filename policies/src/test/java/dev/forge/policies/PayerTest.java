package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.TransferCode;
import dev.forge.economy.ledger.TransferRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A spend whose money is held on another account of the agent (its registered key's, for an
 * order it signed itself): the agent's budget decides and is charged, the payer's money is held.
 */
class PayerTest extends PipelineFixture {
    static final String KEY_ACCOUNT = "key:alice";

    @BeforeEach
    void keyAccount() {
        ledger.openAccount(AccountSpec.provider(KEY_ACCOUNT, key(9).publicKey()));
        ledger.transfer(TransferRequest.single("fund-key", "alice", KEY_ACCOUNT, 20 * CU, TransferCode.MOVE));
    }

    @Test
    void theHoldIsOnThePayerAndTheBudgetIsTheAgents() {
        long own = available("alice");
        Decision decision = pipeline.begin(ALICE, chat("alice", 10 * CU), KEY_ACCOUNT);
        assertTrue(decision.allowed(), decision.reason());
        assertEquals(10 * CU, available(KEY_ACCOUNT), "held on the payer");
        assertEquals(own, available("alice"), "not on the agent's own account");
        assertEquals(10 * CU, pipeline.status(ALICE, "alice").spentLastHour(), "charged to the agent");
        pipeline.cancel(ALICE, decision.spend(), "done");
        assertEquals(20 * CU, available(KEY_ACCOUNT));
    }

    @Test
    void thePayerMustCoverItAndMayNotBeThePayee() {
        assertEquals(Refusal.INSUFFICIENT_FUNDS, pipeline.begin(ALICE, chat("alice", 21 * CU), KEY_ACCOUNT).refusal());
        assertEquals(Refusal.INVALID_ARGUMENT, pipeline.begin(ALICE, chat("alice", CU), "node").refusal());
        assertEquals(Refusal.UNAUTHORIZED, pipeline.begin(BOB, chat("alice", CU), KEY_ACCOUNT).refusal(),
                "the actor's authority is checked as ever");
        assertEquals(0, pipeline.status(ALICE, "alice").spentLastHour(), "a refusal reserves nothing");
        assertEquals(20 * CU, available(KEY_ACCOUNT));
    }

    @Test
    void aSpendHeldOnTheKeyStaysTheAgentsAfterARestartOnceItsOwnerIsKnown() {
        Decision decision = pipeline.begin(ALICE, chat("alice", 10 * CU), KEY_ACCOUNT);
        assertTrue(decision.allowed(), decision.reason());
        restart();
        assertEquals(0, pipeline.status(ALICE, "alice").spentLastHour(), "the key account's owner is not known yet");
        pipeline.restoreOwnedSpending(account -> account.equals(KEY_ACCOUNT) ? java.util.Optional.of("alice")
                : java.util.Optional.empty());
        assertEquals(10 * CU, pipeline.status(ALICE, "alice").spentLastHour(), "the held spend is the agent's again");
    }

    @Test
    void aMoveBetweenTheAgentsAccountsIsNoSpendAfterARestart() {
        restart();
        assertEquals(0, pipeline.status(ALICE, "alice").spentLastHour(), "the MOVE transfer is not rebuilt as spending");
    }
}
