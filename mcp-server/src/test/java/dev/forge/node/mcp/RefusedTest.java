package dev.forge.node.mcp;

import dev.forge.node.app.CallRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.forge.economy.ledger.LedgerError;
import dev.forge.economy.ledger.LedgerException;
import dev.forge.economy.market.MarketException;
import dev.forge.inference.InferenceException;
import dev.forge.node.ApprovalRequired;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every kind of refusal maps to one code, sentence, fields and HTTP status, the same for every surface. */
class RefusedTest {
    record Expected(Exception refusal, String code, int status) {
    }

    @Test
    void eachRefusalHasItsCodeAndStatus() {
        var cases = List.of(
                new Expected(CallRefused.invalid("amount_cu must be positive"), "invalid_argument", 400),
                new Expected(new CallRefused("unauthorized", "no token"), "unauthorized", 403),
                new Expected(new CallRefused("not_found", "no such call"), "not_found", 404),
                new Expected(new PolicyException(Refusal.UNAUTHORIZED, "not yours"), Refusal.UNAUTHORIZED.code(), 403),
                new Expected(new PolicyException(Refusal.INVALID_ARGUMENT, "bad"), Refusal.INVALID_ARGUMENT.code(), 400),
                new Expected(new PolicyException(Refusal.KILL_SWITCH, "stopped"), "kill_switch", 409),
                new Expected(new LedgerException(LedgerError.INSUFFICIENT_FUNDS, "too poor"), "insufficient_funds", 400),
                new Expected(new MarketException(MarketException.Code.NOT_LENT_OUT, "nothing lent"), "not_lent_out", 400),
                new Expected(new InferenceException(InferenceException.Code.UNKNOWN_MODEL, "no model"), "unknown_model", 404),
                new Expected(new InferenceException(InferenceException.Code.QUEUE_FULL, "busy"), "queue_full", 429),
                new Expected(new InferenceException(InferenceException.Code.ENGINE_FAILURE, "broke"), "engine_failure", 502),
                new Expected(new InferenceException(InferenceException.Code.PROMPT_TOO_LONG, "long"), "prompt_too_long", 400),
                new Expected(new IllegalArgumentException("give the new account's id"), "invalid_argument", 400),
                new Expected(new IllegalStateException("a bug"), "internal_error", 500));
        for (Expected c : cases) {
            Refused r = Refused.of(c.refusal());
            assertEquals(c.code(), r.code(), c.refusal().toString());
            assertEquals(c.status(), r.status(), c.refusal().toString());
            String message = c.code().equals(Refused.INTERNAL) ? Refused.INTERNAL_MESSAGE : c.refusal().getMessage();
            assertEquals(Map.of("error", c.code(), "message", message), r.body(), c.refusal().toString());
        }
    }

    @Test
    void anApprovalRequiredCarriesItsIdAndAmountInCu() {
        Refused r = Refused.of(new ApprovalRequired("ap-1", 30_500_000, "ask the operator to approve ap-1"));
        assertEquals(409, r.status());
        assertEquals(List.of("error", "message", "approval_id", "amount_cu"), List.copyOf(r.body().keySet()));
        assertEquals(Map.of("error", "approval_required", "message", "ask the operator to approve ap-1", "approval_id", "ap-1",
                "amount_cu", "30.500000"), r.body());
    }

    @Test
    void aRefusalWithoutASentenceSaysItsCode() {
        assertEquals("prompt_too_long",
                Refused.of(new InferenceException(InferenceException.Code.PROMPT_TOO_LONG, null)).message());
    }

    @Test
    void aFailureThatIsNotARefusalNeverEchoesItsMessage() {
        String message = Refused.of(new IllegalStateException("cannot open /home/op/.forge/node/ledger.db")).message();
        assertEquals(Refused.INTERNAL_MESSAGE, message);
    }
}
