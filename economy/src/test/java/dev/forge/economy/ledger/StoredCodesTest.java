package dev.forge.economy.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.codec.MalformedEncodingException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The bytes the journal stores for each enum constant. They are the file format: reordering,
 * inserting or renaming a constant must leave every code here unchanged, and a new constant
 * must be added here with a new code.
 */
class StoredCodesTest {
    @Test
    void accountKindsKeepTheirCodes() {
        var pinned = new EnumMap<>(Map.of(AccountKind.TREASURY, 0, AccountKind.FEES, 1, AccountKind.AGENT, 2,
                AccountKind.PROVIDER, 3, AccountKind.POOL, 4, AccountKind.ESCROW, 5, AccountKind.PEER, 6));
        assertEquals(Arrays.asList(AccountKind.values()), List.copyOf(pinned.keySet()), "every kind is pinned");
        pinned.forEach((kind, code) -> {
            assertEquals(code, kind.code(), kind.name());
            assertEquals(kind, AccountKind.fromCode(code));
        });
    }

    @Test
    void phasesKeepTheirCodes() {
        var pinned = new EnumMap<>(Map.of(Phase.SINGLE, 0, Phase.PENDING, 1, Phase.POST, 2, Phase.VOID, 3));
        assertEquals(Arrays.asList(Phase.values()), List.copyOf(pinned.keySet()), "every phase is pinned");
        pinned.forEach((phase, code) -> {
            assertEquals(code, phase.code(), phase.name());
            assertEquals(phase, Phase.fromCode(code));
        });
    }

    @Test
    void anUnknownCodeIsCorruptionNotAGuess() {
        assertThrows(MalformedEncodingException.class, () -> AccountKind.fromCode(7));
        assertThrows(MalformedEncodingException.class, () -> AccountKind.fromCode(255));
        assertThrows(MalformedEncodingException.class, () -> Phase.fromCode(4));
        assertThrows(MalformedEncodingException.class, () -> Phase.fromCode(-1));
    }

    @Test
    void aJournalCommandWithAnUnknownKindIsRefused() {
        byte[] good = command(new Command.OpenAccount(AccountSpec.system("pool", AccountKind.POOL)));
        // tag (1) + id ("pool": 2-byte length + 4) then the kind's byte
        int kindAt = 1 + 2 + 4;
        assertEquals(AccountKind.POOL.code(), good[kindAt]);
        good[kindAt] = 9;
        var e = assertThrows(MalformedEncodingException.class,
                () -> CommandCodec.read(new dev.forge.economy.codec.CanonicalReader(good)));
        assertEquals("unknown account kind code 9", e.getMessage());
    }

    private static byte[] command(Command command) {
        var out = new CanonicalWriter(64);
        CommandCodec.write(command, out);
        return out.toByteArray();
    }
}
