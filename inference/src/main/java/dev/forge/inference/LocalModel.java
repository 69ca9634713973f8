package dev.forge.inference;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.safetensors.prompt.PromptContext;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static dev.forge.inference.Completion.FinishReason.CANCELLED;
import static dev.forge.inference.Completion.FinishReason.END;
import static dev.forge.inference.Completion.FinishReason.LENGTH;
import static dev.forge.inference.Completion.FinishReason.STOP;

/**
 * One loaded model and Forge's own decode loop over it.
 *
 * <p>Forge drives jlama token by token (batch forward of the prompt, then one forward and one
 * sample per token) instead of calling {@code AbstractModel.generate}: jlama 0.8.4 catches
 * exceptions thrown by its token callback and keeps generating to the end, so a generation
 * could not be stopped between tokens.
 *
 * <p>One KV cache serves every generation of this model. A generation writes positions 0..n
 * before attention reads them, so what an earlier one left is never read. jlama gives each new
 * session its own memory-mapped page files and never unmaps or deletes them (a loop of raw
 * {@code generate} calls exhausts the process's mappings); reusing one session keeps the pages
 * bounded, and {@link #close} deletes them.
 */
public final class LocalModel implements AutoCloseable {
    private static final UUID SESSION = new UUID(0x466f726765L, 1);

    private final String name;
    private final ModelFolder folder;
    private final byte[] digest;
    private final Tier tier;
    private final AbstractModel model;
    private final ChatTemplate template;
    private final boolean byteLevel;
    private final Path workingDirectory;
    private final KvBufferCache cache;
    private final KvBufferCache.KvBuffer kv;
    private final BpeEncoder encoder;
    private final int maxCharsPerToken;

    private LocalModel(String name, ModelFolder folder, byte[] digest, Tier tier, AbstractModel model, Path workingDirectory) {
        this.name = name;
        this.folder = folder;
        this.digest = digest;
        this.tier = tier;
        this.model = model;
        this.template = new ChatTemplate(name, model);
        this.byteLevel = ByteLevel.usedBy(model.getTokenizer());
        this.workingDirectory = workingDirectory;
        this.cache = new KvBufferCache(model);
        this.kv = cache.getKvBuffer(SESSION);
        this.encoder = BpeEncoder.supports(model) ? new BpeEncoder(model) : null;
        this.maxCharsPerToken = longestToken(model);
    }

    /** No token stands for more characters than its own text has, so this bounds characters per token. */
    private static int longestToken(AbstractModel model) {
        return model.getTokenizer().getModel().vocabLookup.keySet().stream().mapToInt(String::length).max().orElse(1);
    }

    /** Loads a model folder; jlama's working files go to {@code workingDirectory}. Its digest is empty. */
    public static LocalModel load(String name, Path path, Path workingDirectory, Tier.Bounds tiers) {
        return load(name, path, workingDirectory, tiers, FolderDigest.NONE);
    }

    /** The same, the folder named by {@code digest} first: before loading, the bytes that will run. */
    public static LocalModel load(String name, Path path, Path workingDirectory, Tier.Bounds tiers, FolderDigest digest) {
        ModelFolder folder = ModelFolder.inspect(path);
        byte[] named = digest.of(path).clone();
        try {
            Files.createDirectories(workingDirectory);
            AbstractModel model = ModelSupport.loadModel(path.toFile(), workingDirectory.toFile(), DType.F32, DType.I8,
                    Optional.empty(), Optional.empty());
            return new LocalModel(name, folder, named, tiers.tierOf(folder.parameters()), model, workingDirectory);
        } catch (IOException | RuntimeException e) {
            throw new InferenceException(InferenceException.Code.NOT_A_MODEL,
                    "jlama cannot load " + path + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public ModelFolder folder() {
        return folder;
    }

    /** The folder's digest as the engine's {@link FolderDigest} computed it at load (empty with {@link FolderDigest#NONE}). */
    public byte[] digest() {
        return digest.clone();
    }

    /** The model's price class, from its parameter count. */
    public Tier tier() {
        return tier;
    }

    /** The type jlama multiplies this model's activations in (e.g. F32): part of an attestation's kernel path. */
    public String workingType() {
        return model.getWorkingDType().name();
    }

    public int contextLength() {
        return model.getConfig().contextLength;
    }

    /** Whether chats are rendered with the model's own template (else as plain text). */
    public boolean hasChatTemplate() {
        return template.present();
    }

    public boolean supportsTools() {
        return template.supportsTools();
    }

    /**
     * The longest text that can fit the context: each token covers at most the longest token's
     * characters, so anything longer needs more tokens than the context holds.
     */
    public long maxPromptChars() {
        return (long) contextLength() * maxCharsPerToken;
    }

    /**
     * The prompt as the model sees it: its start token, then the rendered prompt's tokens.
     * A prompt with more characters than can fit the context is refused before it is rendered
     * or tokenized, so a long one costs no CPU.
     */
    public int[] encode(Prompt prompt) {
        requireFits(prompt.length());
        String text = template.render(prompt).getPrompt();
        requireFits(text.length());
        String symbols = byteLevel ? ByteLevel.toSymbols(text) : text;
        int[] tokens = encoder != null ? encoder.encodePrompt(symbols) : model.encodePrompt(PromptContext.of(symbols));
        int vocabulary = model.getConfig().vocabularySize;
        for (int token : tokens) {
            // jlama would index past its embeddings; a folder whose tokenizer and weights disagree is broken.
            InferenceException.require(token >= 0 && token < vocabulary, InferenceException.Code.ENGINE_FAILURE,
                    name + "'s tokenizer gave token " + token + ", outside the model's " + vocabulary
                            + " embeddings: its tokenizer.json does not match its weights");
        }
        return tokens;
    }

    private void requireFits(long chars) {
        InferenceException.require(chars <= maxPromptChars(), InferenceException.Code.PROMPT_TOO_LONG, "the prompt ("
                + chars + " characters) cannot fit " + name + "'s context of " + contextLength() + " tokens, which holds at most "
                + maxPromptChars() + " characters");
    }

    /** Tokenizing work done so far (pair look-ups), or -1 when jlama's own encoder is used. */
    long tokenizerWork() {
        return encoder == null ? -1 : encoder.pairLookups();
    }

    /** Text back from tokens, exactly as a generation would stream it. */
    public String decode(int... tokens) {
        var text = new Detokenizer(model.getTokenizer());
        StringBuilder out = new StringBuilder();
        for (int token : tokens) out.append(piece(token, text));
        return out.append(text.finish()).toString();
    }

    /**
     * Generates, calling {@code onText} with each new piece of text, and checking
     * {@code cancelled} between tokens. Not thread-safe: the engine runs one at a time.
     */
    public Completion generate(GenerationRequest request, Consumer<String> onText, BooleanSupplier cancelled) {
        int[] prompt = encode(request.prompt());
        InferenceException.require(prompt.length + request.maxTokens() <= contextLength(),
                InferenceException.Code.PROMPT_TOO_LONG, "the prompt (" + prompt.length + " tokens) plus max tokens ("
                        + request.maxTokens() + ") exceeds the context of " + contextLength() + " tokens");
        Completion completion;
        try {
            completion = decode(prompt, request, new TextSink(request.stop(), onText), cancelled);
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Code.ENGINE_FAILURE, "generation failed: " + e, e);
        }
        if (completion.finishReason() != Completion.FinishReason.END) return completion;
        List<ToolCall> calls = template.toolCalls(request.prompt(), completion.text());
        return calls.isEmpty() ? completion : completion.withToolCalls(calls);
    }

    private Completion decode(int[] prompt, GenerationRequest request, TextSink sink, BooleanSupplier cancelled) {
        var random = new Random(request.seed());
        var text = new Detokenizer(model.getTokenizer());
        try (AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
            int next;
            // jlama runs a long prompt in batches and returns the last batch's rows only.
            try (AbstractTensor batch = model.batchForward(prompt, 0, kv)) {
                next = model.sample(batch.slice(batch.shape().first() - 1), request.temperature(), random.nextFloat(), logits);
            }
            for (int generated = 0, position = prompt.length; ; position++) {
                if (model.getConfig().eosTokens.contains(next)) return finish(sink, text, prompt, generated, END);
                generated++;
                if (sink.accept(piece(next, text))) return sink.finish(prompt.length, generated, STOP);
                if (generated == request.maxTokens()) return finish(sink, text, prompt, generated, LENGTH);
                if (cancelled.getAsBoolean()) return finish(sink, text, prompt, generated, CANCELLED);
                try (AbstractTensor output = model.forward(next, position, kv, Optional.empty())) {
                    next = model.sample(output, request.temperature(), random.nextFloat(), logits);
                }
            }
        }
    }

    /** A token's text; special tokens (chat markers) are counted but not shown. */
    private String piece(int token, Detokenizer text) {
        return model.getTokenizer().getModel().isSpecialToken(token) ? "" : text.next(token);
    }

    private static Completion finish(TextSink sink, Detokenizer text, int[] prompt, int generated,
                                     Completion.FinishReason reason) {
        boolean stopped = sink.accept(text.finish());
        return sink.finish(prompt.length, generated, stopped ? STOP : reason);
    }

    /** Releases the KV cache and deletes its page files, which jlama would leave behind. */
    @Override
    public void close() {
        cache.close();
        try (Stream<Path> files = Files.list(workingDirectory)) {
            files.filter(f -> f.getFileName().toString().endsWith(".page")).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Leftover pages waste disk, not money; the next close tries again.
        }
    }

    /** Working files currently in this model's folder (for health and tests). */
    public long workingFiles() {
        try (Stream<Path> files = Files.list(workingDirectory)) {
            return files.count();
        } catch (IOException e) {
            return -1;
        }
    }
}
