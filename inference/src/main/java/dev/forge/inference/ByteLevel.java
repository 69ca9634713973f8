package dev.forge.inference;

import com.github.tjake.jlama.model.llama.LlamaTokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.BPETokenizer;
import com.github.tjake.jlama.safetensors.tokenizer.Tokenizer;
import java.nio.charset.StandardCharsets;

/**
 * GPT-2 style byte-level vocabularies (Llama 3, Qwen): every token is a string of symbols, one
 * per byte of UTF-8. jlama 0.8.4 maps a prompt's characters, not its bytes, to those symbols,
 * so é becomes the symbol of the single byte 0xE9 and 日 becomes the unknown token. Forge maps
 * the UTF-8 bytes itself before jlama sees the text; jlama's own mapping then leaves the
 * symbols unchanged, as none of them is a byte it remaps.
 */
final class ByteLevel {
    private ByteLevel() {
    }

    static boolean usedBy(Tokenizer tokenizer) {
        return tokenizer.getClass() == LlamaTokenizer.class && tokenizer.getModel().isLegacy()
                && !tokenizer.getModel().byteFallback;
    }

    /** The text's UTF-8 bytes as byte-level symbols. */
    static String toSymbols(String text) {
        StringBuilder symbols = new StringBuilder(text.length() + 16);
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            symbols.appendCodePoint(BPETokenizer.alteredBytes.getOrDefault(b & 0xFF, b & 0xFF));
        }
        return symbols.toString();
    }
}
