package dev.forge.economy.work;

import dev.forge.economy.codec.CanonicalReader;
import dev.forge.economy.codec.MalformedEncodingException;
import java.util.function.Function;

/** Small helpers shared by the work records: copies, and decoding with one error code. */
final class Bytes {
    private Bytes() {
    }

    static byte[] exact(byte[] value, int size, String name) {
        WorkException.require(value != null && value.length == size, name + " must be " + size + " bytes");
        return value.clone();
    }

    static String text(String value, int maxBytes, boolean mayBeEmpty, String name) {
        int bytes = value == null ? -1 : value.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        WorkException.require(bytes >= (mayBeEmpty ? 0 : 1) && bytes <= maxBytes,
                name + " must be " + (mayBeEmpty ? 0 : 1) + " to " + maxBytes + " bytes");
        return value;
    }

    /** Decodes a whole canonical record; a wrong tag, a short field or trailing bytes are all malformed. */
    static <T> T decode(byte[] bytes, String what, Function<CanonicalReader, T> reader) {
        try {
            var in = new CanonicalReader(bytes);
            T value = reader.apply(in);
            in.expectEnd();
            return value;
        } catch (MalformedEncodingException | WorkException e) {
            throw new WorkException(WorkException.Code.MALFORMED, what + " bytes are malformed: " + e.getMessage());
        }
    }

    static void expectTag(CanonicalReader in, String tag) {
        String found = in.string();
        if (!tag.equals(found)) throw new MalformedEncodingException("expected " + tag + ", found " + found);
    }
}
