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
 * could not be stopped between tokens. The loop also owns the KV-cache page files, which
 * jlama leaves behind, and deletes them when the generation ends.
 */
public final class LocalModel {
    private final String name;
    private final ModelFolder folder;
    private final AbstractModel model;
    private final Path workingDirectory;

    private LocalModel(String name, ModelFolder folder, AbstractModel model, Path workingDirectory) {
        this.name = name;
        this.folder = folder;
        this.model = model;
        this.workingDirectory = workingDirectory;
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
        UUID session = UUID.randomUUID();
        try (KvBufferCache cache = new KvBufferCache(model)) {
            return decode(prompt, request, new TextSink(request.stop(), onText), cache.getKvBuffer(session), cancelled);
        } catch (InferenceException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new InferenceException(InferenceException.Code.ENGINE_FAILURE, "generation failed: " + e, e);
        } finally {
            deletePages(session);
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

    /** jlama names a session's KV-cache pages after the session id and never removes them. */
    private void deletePages(UUID session) {
        String prefix = session.toString();
        try (Stream<Path> files = Files.list(workingDirectory)) {
            files.filter(f -> f.getFileName().toString().startsWith(prefix)).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // Leftover pages waste disk, not money; the next clean-up tries again.
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
