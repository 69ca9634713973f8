package dev.forge.inference;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.BPETokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.TokenizerModel;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * Turns generated tokens into text that is always valid UTF-8, one token at a time.
 *
 * <p>A token may carry part of a character: byte-fallback tokens ({@code <0xC3>}) in Llama-2
 * style vocabularies, and GPT-2 style byte-level pieces in Llama-3 and Qwen vocabularies.
 * jlama 0.8.4 decodes each token on its own and garbles such characters (it waits for four
 * bytes whatever the character's length, and maps byte-level pieces to Latin-1). Forge works
 * from the token's bytes instead and releases text only up to the last complete character.
 * Not thread-safe: one per generation.
 */
final class Detokenizer {
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x[0-9A-Fa-f]{2}>");

    private final Tokenizer tokenizer;
    private final TokenizerModel vocabulary;
    private final boolean forgeDecodes;
    private final boolean byteLevel;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    Detokenizer(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        this.vocabulary = tokenizer.getModel();
        // Other tokenizer families (GPT-2, BERT, Gemma) keep jlama's own decoding.
        this.forgeDecodes = tokenizer.getClass() == LlamaTokenizer.class;
        this.byteLevel = ByteLevel.usedBy(tokenizer);
    }

    /** The text this token completes: possibly empty while a character is still open. */
    String next(long token) {
        if (!forgeDecodes) return tokenizer.decode(token);
        String piece = vocabulary.vocabLookup.inverse().get(token);
        if (piece == null) piece = vocabulary.unkToken == null ? "" : vocabulary.unkToken;
        appendBytes(piece);
        return release(false);
    }

    /** Whatever is left; an unfinished character becomes U+FFFD. */
    String finish() {
        return release(true);
    }

    private void appendBytes(String piece) {
        if (vocabulary.byteFallback && BYTE_TOKEN.matcher(piece).matches()) {
            pending.write(Integer.parseInt(piece.substring(3, 5), 16));
        } else if (byteLevel) {
            piece.codePoints().forEach(c -> pending.write(BPETokenizer.alteredBytes.inverse().getOrDefault(c, c)));
        } else {
            pending.writeBytes(piece.replace('▁', ' ').getBytes(StandardCharsets.UTF_8));
        }
    }

    private String release(boolean all) {
        byte[] bytes = pending.toByteArray();
        int complete = all ? bytes.length : bytes.length - openTail(bytes);
        pending.reset();
        pending.write(bytes, complete, bytes.length - complete);
        return new String(bytes, 0, complete, StandardCharsets.UTF_8);
    }

    /** How many bytes at the end start a character that needs more bytes than are there. */
    static int openTail(byte[] bytes) {
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            int b = bytes[bytes.length - back] & 0xFF;
            if ((b & 0xC0) == 0x80) continue; // a continuation byte: look further back
            int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
            return length > back ? back : 0;
        }
        return 0;
    }
}
