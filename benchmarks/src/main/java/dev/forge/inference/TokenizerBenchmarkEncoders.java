package dev.forge.inference;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;

/**
 * The two encoders TokenizerBenchmark compares, over one loaded jlama model: Forge's
 * {@link BpeEncoder} and jlama's own {@code AbstractModel.encodePrompt}.
 *
 * <p>In the inference package (though built in the benchmarks module) to reach the
 * package-private encoder directly, without reflection and without widening inference's API.
 */
public final class TokenizerBenchmarkEncoders {
    private final AbstractModel model;
    private final BpeEncoder forge;
    private final boolean byteLevel;

    public TokenizerBenchmarkEncoders(AbstractModel model) {
        if (!BpeEncoder.supports(model)) throw new IllegalArgumentException("not a BPE tokenizer: " + model.getTokenizer());
        this.model = model;
        this.forge = new BpeEncoder(model);
        this.byteLevel = ByteLevel.usedBy(model.getTokenizer());
    }

    /** The text as both encoders take it (byte-level symbols where the tokenizer is byte-level), as LocalModel does. */
    public String symbols(String text) {
        return byteLevel ? ByteLevel.toSymbols(text) : text;
    }

    public int[] forge(String symbols) {
        return forge.encodePrompt(symbols);
    }

    public int[] jlama(String symbols) {
        return model.encodePrompt(PromptContext.of(symbols));
    }
}
