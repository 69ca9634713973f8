package dev.forge.economy.ledger;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.CanonicalWriter;
import dev.forge.economy.crypto.Sha256;
import java.util.ArrayList;
import java.util.List;

/**
 * One group commit: the commands the writer accepted together, at one ledger time, chained
 * to the record before by its hash so a lost, reordered or altered record is detected.
 */
record JournalRecord(long sequence, long time, byte[] previousHash, List<Command> commands) {
    static final String TAG = "forge/journal/v1";

    byte[] encode() {
        var out = new CanonicalWriter(256 * commands.size() + 64)
                .string(TAG).i64(sequence).i64(time).fixed(previousHash, Sha256.SIZE).i32(commands.size());
        for (Command command : commands) CommandCodec.write(command, out);
        return out.toByteArray();
    }

    static JournalRecord decode(byte[] bytes) {
        var in = new CanonicalReader(bytes);
        if (!TAG.equals(in.string())) throw new dev.forge.economy.codec.MalformedEncodingException("not a journal record");
        long sequence = in.i64();
        long time = in.i64();
        byte[] previous = in.fixed(Sha256.SIZE);
        int count = in.i32();
        List<Command> commands = new ArrayList<>(Math.max(0, Math.min(count, 1 << 16)));
        for (int i = 0; i < count; i++) commands.add(CommandCodec.read(in));
        in.expectEnd();
        return new JournalRecord(sequence, time, previous, commands);
    }
}
