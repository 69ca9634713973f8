package dev.forge.grid;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.crypto.Ed25519;

/** Field checks shared by the grid's records. */
final class Entries {
    private Entries() {}

    static byte[] key(byte[] key, String name) {
        if (key == null || key.length != Ed25519.PUBLIC_KEY_SIZE) {
            throw new GridRefusedException(GridRefusal.MALFORMED_ENTRY, name + " must be 32 bytes");
        }
        return key.clone();
    }

    /** A length-prefixed embedded record, refused before it is read when over the bound. */
    static byte[] record(CanonicalReader in) {
        byte[] bytes = in.block();
        if (bytes.length > GridRecord.MAX_RECORD_BYTES) {
            throw new GridRefusedException(GridRefusal.MALFORMED_ENTRY, "embedded record of " + bytes.length + " bytes");
        }
        return bytes;
    }
}
