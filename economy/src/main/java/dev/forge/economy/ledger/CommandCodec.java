package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.SignedWorkOrder;
import dev.forge.economy.work.WorkException;
import java.util.ArrayList;
import java.util.List;

/**
 * The journal's byte form of each command. A new field means a new tag, never a changed one;
 * enums are written as their fixed codes, never their ordinals.
 */
final class CommandCodec {
    private static final int OPEN_ACCOUNT = 1;
    private static final int MOVE_MONEY = 2;
    private static final int SETTLE_TRADE = 3;
    private static final int EXPIRE_HOLDS = 4;
    private static final int ACCEPT_ORDER = 5;
    private static final int SETTLE_WORK = 6;
    private static final int VOID_WORK = 7;
    private static final int ACCEPT_ORDER_ON_HOLD = 8;

    private CommandCodec() {}

    static void write(Command command, CanonicalWriter out) {
        switch (command) {
            case Command.OpenAccount open -> {
                AccountSpec spec = open.spec();
                out.u8(OPEN_ACCOUNT).string(spec.id()).u8(spec.kind().code()).bytes(spec.publicKey());
            }
            case Command.MoveMoney move -> {
                out.u8(MOVE_MONEY).i32(move.chain().size());
                for (TransferRequest request : move.chain()) writeTransfer(request, out);
            }
            case Command.SettleTrade settle -> out.u8(SETTLE_TRADE).i64(settle.holdId()).block(settle.trade().encode());
            case Command.ExpireHolds ignored -> out.u8(EXPIRE_HOLDS);
            case Command.AcceptOrder accept -> out.u8(ACCEPT_ORDER).block(accept.order().encode()).string(accept.custodian());
            case Command.SettleWork settle -> out.u8(SETTLE_WORK).i64(settle.orderId()).string(settle.audience())
                    .block(settle.attestation().encode());
            case Command.VoidWork voided -> out.u8(VOID_WORK).i64(voided.orderId());
            case Command.AcceptOrderOnHold accept -> out.u8(ACCEPT_ORDER_ON_HOLD).i64(accept.holdId())
                    .block(accept.order().encode()).string(accept.custodian());
        }
    }

    static Command read(CanonicalReader in) {
        int type = in.u8();
        return switch (type) {
            case OPEN_ACCOUNT -> new Command.OpenAccount(new AccountSpec(in.string(), AccountKind.fromCode(in.u8()), in.bytes()));
            case MOVE_MONEY -> new Command.MoveMoney(readChain(in));
            case SETTLE_TRADE -> {
                long holdId = in.i64();
                yield new Command.SettleTrade(SignedTrade.decode(in.block()), holdId);
            }
            case EXPIRE_HOLDS -> new Command.ExpireHolds();
            case ACCEPT_ORDER -> new Command.AcceptOrder(workRecord(() -> SignedWorkOrder.decode(in.block())), in.string());
            case SETTLE_WORK -> {
                long orderId = in.i64();
                String audience = in.string();
                yield new Command.SettleWork(orderId, workRecord(() -> SignedAttestation.decode(in.block())), audience);
            }
            case VOID_WORK -> new Command.VoidWork(in.i64());
            case ACCEPT_ORDER_ON_HOLD -> {
                long holdId = in.i64();
                yield new Command.AcceptOrderOnHold(workRecord(() -> SignedWorkOrder.decode(in.block())), in.string(), holdId);
            }
            default -> throw new MalformedEncodingException("unknown command type " + type);
        };
    }

    /** The work records throw their own error; in a journal it is a malformed record like any other. */
    private static <T> T workRecord(java.util.function.Supplier<T> decode) {
        try {
            return decode.get();
        } catch (WorkException e) {
            throw new MalformedEncodingException(e.getMessage());
        }
    }

    private static void writeTransfer(TransferRequest r, CanonicalWriter out) {
        out.string(r.key()).u8(r.phase().code()).string(r.debitAccount()).string(r.creditAccount())
                .i64(r.amount()).i64(r.pendingId()).i64(r.timeoutMillis()).i32(r.code());
    }

    private static List<TransferRequest> readChain(CanonicalReader in) {
        int size = in.i32();
        if (size < 1 || size > Limits.MAX_CHAIN_LENGTH) throw new MalformedEncodingException("chain of " + size);
        List<TransferRequest> chain = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            chain.add(new TransferRequest(in.string(), Phase.fromCode(in.u8()), in.string(), in.string(),
                    in.i64(), in.i64(), in.i64(), in.i32()));
        }
        return chain;
    }
}
