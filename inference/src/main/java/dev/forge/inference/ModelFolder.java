package dev.forge.inference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A model in HuggingFace layout, checked before jlama sees it so that a wrong folder gets a
 * clear error instead of a stack trace from deep inside the loader.
 *
 * @param parameters counted from the config: embeddings, attention, feed-forward, norms
 */
public record ModelFolder(Path path, String architecture, int hiddenSize, int layers, int vocabulary,
                          int contextLength, long parameters, boolean hasChatTemplate) {

    public static ModelFolder inspect(Path path) {
        InferenceException.require(Files.isDirectory(path), InferenceException.Code.NOT_A_MODEL,
                path + " is not a folder");
        Path config = path.resolve("config.json");
        InferenceException.require(Files.isRegularFile(config), InferenceException.Code.NOT_A_MODEL,
                path + " has no config.json: not a HuggingFace model folder");
        InferenceException.require(Files.isRegularFile(path.resolve("tokenizer.json")), InferenceException.Code.NOT_A_MODEL,
                path + " has no tokenizer.json");
        InferenceException.require(hasWeights(path), InferenceException.Code.NOT_A_MODEL,
                path + " has no .safetensors weights");
        try {
            ObjectMapper json = new ObjectMapper();
            JsonNode c = json.readTree(config.toFile());
            int hidden = c.path("hidden_size").asInt();
            int layers = c.path("num_hidden_layers").asInt();
            int vocabulary = c.path("vocab_size").asInt();
            int context = c.path("max_position_embeddings").asInt(2048);
            int ffn = c.path("intermediate_size").asInt(4 * hidden);
            String type = c.path("model_type").asText("");
            InferenceException.require(hidden > 0 && layers > 0 && vocabulary > 0 && !type.isEmpty(),
                    InferenceException.Code.NOT_A_MODEL, config + " lacks model_type, hidden_size, num_hidden_layers or vocab_size");
            long parameters = estimateParameters(hidden, layers, vocabulary, ffn, c.path("tie_word_embeddings").asBoolean(false));
            return new ModelFolder(path, type, hidden, layers, vocabulary, context, parameters, hasChatTemplate(json, path));
        } catch (IOException e) {
            throw new InferenceException(InferenceException.Code.NOT_A_MODEL, config + " cannot be read: " + e.getMessage(), e);
        }
    }

    public Tier tier() {
        return Tier.forParameters(parameters);
    }

    /** Embeddings, four attention and three feed-forward matrices per layer, norms, and the head unless tied. */
    static long estimateParameters(long hidden, long layers, long vocabulary, long ffn, boolean tied) {
        long perLayer = 4 * hidden * hidden + 3 * hidden * ffn + 2 * hidden;
        return vocabulary * hidden * (tied ? 1 : 2) + layers * perLayer + hidden;
    }

    private static boolean hasWeights(Path path) {
        try (Stream<Path> files = Files.list(path)) {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".safetensors"));
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean hasChatTemplate(ObjectMapper json, Path path) throws IOException {
        Path tokenizerConfig = path.resolve("tokenizer_config.json");
        return Files.isRegularFile(tokenizerConfig) && json.readTree(tokenizerConfig.toFile()).hasNonNull("chat_template");
    }
}
