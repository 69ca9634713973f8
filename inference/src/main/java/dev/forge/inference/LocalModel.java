package dev.forge.inference;

import com.github.tjake.jlama.model.AbstractModel;
import com.github.tjake.jlama.model.ModelSupport;
import com.github.tjake.jlama.safetensors.DType;
import com.github.tjake.jlama.tensor.AbstractTensor;
import com.github.tjake.jlama.tensor.KvBufferCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.stream.Stream;

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
    private final AbstractModel model;
    private final Path workingDirectory;
    private final KvBufferCache cache;
    private final KvBufferCache.KvBuffer kv;

    private LocalModel(String name, ModelFolder folder, AbstractModel model, Path workingDirectory) {
        this.name = name;
        this.folder = folder;
        this.model = model;
        this.workingDirectory = workingDirectory;
        this.cache = new KvBufferCache(model);
        this.kv = cache.getKvBuffer(SESSION);
    }

    /** Loads a model folder; jlama's working files go to {@code workingDirectory}. */
    public static LocalModel load(String name, Path path, Path workingDirectory) {
        ModelFolder folder = ModelFolder.inspect(path);
        try {
            Files.createDirectories(workingDirectory);
            AbstractModel model = ModelSupport.loadModel(path.toFile(), workingDirectory.toFile(), DType.F32, DType.I8,
                    Optional.empty(), Optional.empty());
            return new LocalModel(name, folder, model, workingDirectory);
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

    public Tier tier() {
        return folder.tier();
    }

    public int contextLength() {
        return model.getConfig().contextLength;
    }

    /** The prompt as the model sees it: its start token, then the tokenizer's ids. */
    public int[] encode(String prompt) {
        long[] ids = model.getTokenizer().encode(prompt);
        int[] tokens = new int[ids.length + 1];
        tokens[0] = model.getConfig().bosToken;
        for (int i = 0; i < ids.length; i++) tokens[i + 1] = Math.toIntExact(ids[i]);
        return tokens;
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
        try {
            return decode(prompt, request, new TextSink(request.stop(), onText), kv, cancelled);
        } catch (InferenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Code.ENGINE_FAILURE, "generation failed: " + e, e);
        }
    }

    private Completion decode(int[] prompt, GenerationRequest request, TextSink sink, KvBufferCache.KvBuffer kv,
                              BooleanSupplier cancelled) {
        var random = new Random(request.seed());
        try (AbstractTensor logits = model.makeDenseTensor(model.getConfig().vocabularySize)) {
            int next;
            try (AbstractTensor batch = model.batchForward(prompt, 0, kv)) {
                next = model.sample(batch.slice(prompt.length - 1), request.temperature(), random.nextFloat(), logits);
            }
            int generated = 0;
            for (int position = prompt.length; ; position++) {
                Completion.FinishReason reason = null;
                if (model.getConfig().eosTokens.contains(next)) reason = Completion.FinishReason.END;
                else if (sink.accept(model.getTokenizer().decode(next))) reason = Completion.FinishReason.STOP;
                else if (++generated == request.maxTokens()) reason = Completion.FinishReason.LENGTH;
                else if (cancelled.getAsBoolean()) reason = Completion.FinishReason.CANCELLED;
                if (reason == Completion.FinishReason.STOP) generated++;
                if (reason != null) return sink.finish(prompt.length, generated, reason);
                try (AbstractTensor output = model.forward(next, position, kv, Optional.empty())) {
                    next = model.sample(output, request.temperature(), random.nextFloat(), logits);
                }
            }
        }
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
