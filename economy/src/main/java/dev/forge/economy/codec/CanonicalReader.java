package dev.forge.economy.codec;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Reads what {@link CanonicalWriter} wrote; any short, oversize or malformed field throws. */
public final class CanonicalReader {
    private final byte[] data;
    private int position;

    public CanonicalReader(byte[] data) {
        this.data = data;
    }

    public int u8() {
        need(1);
        return data[position++] & 0xFF;
    }

    public int i32() {
        need(4);
        int value = 0;
        for (int i = 0; i < 4; i++) value = (value << 8) | (data[position++] & 0xFF);
        return value;
    }

    public long i64() {
        need(8);
        long value = 0;
        for (int i = 0; i < 8; i++) value = (value << 8) | (data[position++] & 0xFF);
        return value;
    }

    public boolean bool() {
        int value = u8();
        if (value > 1) throw new MalformedEncodingException("boolean byte " + value);
        return value == 1;
    }

    public String string() {
        return decodeUtf8(bytes());
    }

    /**
     * Reads a {@link CanonicalWriter#text} field: an unsigned 32-bit byte count, then that many
     * bytes of valid UTF-8. A count above {@code maxBytes} is refused before anything is read.
     */
    public String text(int maxBytes) {
        if (maxBytes < 0 || maxBytes > CanonicalWriter.MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("text bound out of range: " + maxBytes);
        }
        long length = Integer.toUnsignedLong(i32());
        if (length > maxBytes) throw new MalformedEncodingException("text of " + length + " bytes, at most " + maxBytes);
        return decodeUtf8(take((int) length));
    }

    private static String decodeUtf8(byte[] raw) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedEncodingException("string is not valid UTF-8");
        }
    }

    public byte[] bytes() {
        need(2);
        int length = ((data[position] & 0xFF) << 8) | (data[position + 1] & 0xFF);
        position += 2;
        return take(length);
    }

    public byte[] fixed(int size) {
        return take(size);
    }

    public byte[] block() {
        int length = i32();
        if (length < 0) throw new MalformedEncodingException("negative block length");
        return take(length);
    }

    public boolean atEnd() {
        return position == data.length;
    }

    /** Canonical means nothing may follow the value. */
    public void expectEnd() {
        if (!atEnd()) throw new MalformedEncodingException((data.length - position) + " trailing bytes");
    }

    private byte[] take(int length) {
        need(length);
        byte[] out = new byte[length];
        System.arraycopy(data, position, out, 0, length);
        position += length;
        return out;
    }

    private void need(int length) {
        if (length > data.length - position) {
            throw new MalformedEncodingException("needs " + length + " bytes at offset " + position
                    + ", only " + (data.length - position) + " left");
        }
    }
}
