package dev.forge.economy.codec;

import java.io.ByteArrayOutputStream;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Writes the canonical byte form that Forge signs, hashes and journals: big-endian integers,
 * length-prefixed UTF-8 strings, fixed-size byte fields. One value has exactly one encoding.
 */
public final class CanonicalWriter {
    /** The most bytes any {@link #text} field may hold, whatever its record allows: 16 MiB. */
    public static final int MAX_TEXT_BYTES = 16 * 1024 * 1024;

    private final ByteArrayOutputStream out;

    public CanonicalWriter() {
        this(128);
    }

    public CanonicalWriter(int initialCapacity) {
        out = new ByteArrayOutputStream(initialCapacity);
    }

    public CanonicalWriter u8(int value) {
        if (value < 0 || value > 0xFF) throw new IllegalArgumentException("u8 out of range: " + value);
        out.write(value);
        return this;
    }

    public CanonicalWriter i32(int value) {
        for (int shift = 24; shift >= 0; shift -= 8) out.write(value >>> shift);
        return this;
    }

    public CanonicalWriter i64(long value) {
        for (int shift = 56; shift >= 0; shift -= 8) out.write((int) (value >>> shift));
        return this;
    }

    public CanonicalWriter bool(boolean value) {
        return u8(value ? 1 : 0);
    }

    /** A string of at most 65,535 UTF-8 bytes, prefixed by its byte length. */
    public CanonicalWriter string(String value) {
        return bytes(value.getBytes(StandardCharsets.UTF_8));
    }

    /** A byte field of at most 65,535 bytes, prefixed by its length. */
    public CanonicalWriter bytes(byte[] value) {
        if (value.length > 0xFFFF) throw new IllegalArgumentException("field longer than 65535 bytes");
        out.write(value.length >>> 8);
        out.write(value.length);
        out.writeBytes(value);
        return this;
    }

    /**
     * A long text (a chat message's content): its UTF-8 bytes prefixed by their count as an
     * unsigned 32-bit integer, at most {@code maxBytes} (itself at most {@link #MAX_TEXT_BYTES}).
     * A string that is not valid Unicode (an unpaired surrogate) has no UTF-8 form and is refused,
     * rather than silently written as '?'.
     */
    public CanonicalWriter text(String value, int maxBytes) {
        byte[] bytes = utf8(value);
        if (maxBytes < 0 || maxBytes > MAX_TEXT_BYTES) throw new IllegalArgumentException("text bound out of range: " + maxBytes);
        if (bytes.length > maxBytes) throw new IllegalArgumentException("text longer than " + maxBytes + " bytes");
        return block(bytes);
    }

    /** The UTF-8 bytes of {@code value}; an unpaired surrogate is an IllegalArgumentException. */
    public static byte[] utf8(String value) {
        try {
            var encoded = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(value));
            byte[] bytes = new byte[encoded.remaining()];
            encoded.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("text is not valid Unicode (an unpaired surrogate)");
        }
    }

    /** A byte field whose size both sides know (hashes, keys, signatures). */
    public CanonicalWriter fixed(byte[] value, int size) {
        if (value.length != size) {
            throw new IllegalArgumentException("expected " + size + " bytes, got " + value.length);
        }
        out.writeBytes(value);
        return this;
    }

    /** A long byte block (journal records), prefixed by a 32-bit length. */
    public CanonicalWriter block(byte[] value) {
        i32(value.length);
        out.writeBytes(value);
        return this;
    }

    public int size() {
        return out.size();
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
