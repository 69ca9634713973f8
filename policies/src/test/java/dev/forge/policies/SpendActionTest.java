package dev.forge.policies;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.economy.ledger.TransferCode;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A spend's action is a closed set: each has a fixed text code and a ledger reason, none a fallback. */
class SpendActionTest extends PipelineFixture {
    @Test
    void actionsKeepTheirCodes() {
        var pinned = new EnumMap<>(Map.of(SpendAction.CHAT, "chat", SpendAction.LEND, "lend", SpendAction.BORROW, "borrow",
                SpendAction.REPAY, "repay"));
        assertEquals(Arrays.asList(SpendAction.values()), List.copyOf(pinned.keySet()), "every action is pinned");
        pinned.forEach((action, code) -> {
            assertEquals(code, action.code(), action.name());
            assertEquals(action, SpendAction.fromCode(code));
        });
        assertThrows(IllegalStateException.class, () -> SpendAction.fromCode("withdraw"));
        assertThrows(IllegalStateException.class, () -> SpendAction.fromCode("CHAT"));
    }

    @Test
    void everyActionHoldsWithItsOwnTransferCode() {
        var expected = new EnumMap<>(Map.of(SpendAction.CHAT, TransferCode.TRADE, SpendAction.LEND, TransferCode.DEPOSIT,
                SpendAction.BORROW, TransferCode.COLLATERAL, SpendAction.REPAY, TransferCode.REPAYMENT));
        expected.forEach((action, code) -> {
            var request = new SpendRequest("alice", "node", action, "", CU, "k-" + action.code());
            Spend spend = pipeline.begin(ALICE, request).spend();
            assertEquals(code, ledger.findTransfer(spend.holdId()).orElseThrow().code(), action.name());
        });
        pipeline.audit().flush();
        assertEquals(List.of("chat", "lend", "borrow", "repay"),
                pipeline.audit().recent(4).stream().map(AuditEntry::action).toList());
    }

    @Test
    void aRequestWithoutAnActionIsAProgrammingError() {
        assertThrows(NullPointerException.class, () -> new SpendRequest("alice", "node", null, "", CU, "k"));
    }
}
