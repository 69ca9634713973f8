package dev.forge.inference;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tjake.jlama.safetensors.tokenizer.BPETokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes tiny Llama models for tests and for the demo's generated tier (F32 safetensors, a BPE tokenizer.json in either byte style, and a chat
 * template with tools) whose greedy output is known in advance, while every layer still runs.
 *
 * <p>How the weights make the output exact: each token that must be followed by a chosen token
 * (a "state") owns one dimension of the residual stream, set by its embedding, and the
 * output head maps that dimension to the chosen next token. Every embedding also carries a
 * constant "bias" dimension. One attention head in the first layer queries with the bias and
 * keys on the {@code <|tools|>} token, so when the chat template has put tools in the prompt
 * the head writes a "tools" flag into the residual; the flag turns the answer after
 * {@code <|assistant|>} into a tool call. Queries and keys sit in the last dimension of the
 * head, which RoPE rotates slowest in both pairings, and rope_theta is large, so the score
 * hardly depends on position. All other weights are small random noise: they run, and they
 * stay below the margins the chosen weights leave.
 *
 * <p>A tool caller ({@link #writeToolCaller}) calls the one tool it is named, with no arguments
 * or the JSON object of arguments it is given (the whole call is one token), instead of {@code get_weather}; a second head keys on the {@code <|tool|>} token in the same
 * way and writes a "result" flag, which turns the answer after a tool's result into the plain
 * text {@link #TOOL_ANSWER}. Its other answers are the same as the plain models'.
 *
 * <p>jlama computes only the first multiple of 128 of any dimension above 128, so every
 * dimension here is 128 or less, or a multiple of 128.
 */
public final class TinyLlama {
    /** The dimensions of one generated model. */
    public record Shape(int hidden, int heads, int kvHeads, int ffn, int layers) {
        public int headSize() {
            return hidden / heads;
        }
    }

    /** How the vocabulary spells bytes: Llama 2's byte fallback, or Llama 3 and Qwen's GPT-2 byte-level symbols. */
    public enum Style {
        BYTE_FALLBACK,
        BYTE_LEVEL
    }

    public static final Shape SMALL = new Shape(64, 4, 2, 256, 2);
    public static final Shape LARGE = new Shape(128, 8, 4, 512, 4);
    public static final int VOCABULARY = 512;
    public static final int CONTEXT = 2048;
    /** A tool caller's context: its prompts carry tools' JSON schemas, about one token a character. */
    public static final int TOOL_CALLER_CONTEXT = 16_384;

    public static final String STORY_PROMPT = "Once upon a time";
    public static final String STORY = " there was a tiny forge in the café.";
    public static final int STORY_TOKENS = 11;
    public static final String UNKNOWN_ANSWER = " I do not know.";
    public static final String CHAT_ANSWER = "Hello, world!";
    public static final String TOOL_NAME = "get_weather";
    public static final String TOOL_CALL = "{\"name\": \"get_weather\", \"arguments\": {\"city\": \"Paris\"}}";
    /** What a tool caller answers once a tool's result is in the chat. */
    public static final String TOOL_ANSWER = "I will skip it.";
    /** A token the tokenizer knows and the weights do not: prompts with it make the model fail. */
    public static final String BROKEN_TOKEN = "<|boom|>";

    public static final String CHAT_TEMPLATE = "{% if tools %}<|tools|>{{ tools | tojson }}<|end|>{% endif %}"
            + "{% for message in messages %}"
            + "{% if message.role == 'tool_call' %}<|assistant|>{{ message.tool_calls | tojson }}<|end|>"
            + "{% else %}<|{{ message.role }}|>{{ message.content }}<|end|>{% endif %}"
            + "{% endfor %}{% if add_generation_prompt %}<|assistant|>{% endif %}";

    private static final List<String> SPECIAL = List.of("<|system|>", "<|user|>", "<|assistant|>", "<|tool|>",
            "<|tool_call|>", "<|tools|>", "<|end|>");
    private static final String TOOL_OPEN = "{\"name\":▁\"get_weather\",▁\"arguments\":▁{\"city\":▁\"";
    private static final String EOS = "</s>";
    private static final String DEFAULT = "(default)";

    /** Each state and the token it is followed by. */
    private static final List<String[]> TRANSITIONS = List.of(
            new String[] {"▁time", "▁there"}, new String[] {"▁there", "▁was"}, new String[] {"▁was", "▁a"},
            new String[] {"▁a", "▁tiny"}, new String[] {"▁tiny", "▁forge"}, new String[] {"▁forge", "▁in"},
            new String[] {"▁in", "▁the"}, new String[] {"▁the", "▁caf"}, new String[] {"▁caf", "<0xC3>"},
            new String[] {"<0xC3>", "<0xA9>"}, new String[] {"<0xA9>", "."}, new String[] {".", EOS},
            new String[] {DEFAULT, "▁I"}, new String[] {"▁I", "▁do"}, new String[] {"▁do", "▁not"},
            new String[] {"▁not", "▁know"}, new String[] {"▁know", "."},
            new String[] {"<|assistant|>", "Hello"}, new String[] {"Hello", ","}, new String[] {",", "▁world"},
            new String[] {"▁world", "!"}, new String[] {"!", EOS},
            new String[] {TOOL_OPEN, "Paris"}, new String[] {"Paris", "\"}}"}, new String[] {"\"}}", EOS});
    /** Words a prompt must be able to end with, so their prefixes are in the vocabulary too. */
    private static final List<String> PROMPT_WORDS = List.of("▁time", "▁there", "▁forge", "▁the");

    private final Shape shape;
    private final Style style;
    private final boolean broken;
    /** The tool a tool caller calls, or null for the plain models. */
    private final String tool;
    /** The JSON object of arguments it calls the tool with. */
    private final String arguments;
    private final List<String[]> transitions;
    private final Map<String, Integer> vocabulary = new LinkedHashMap<>();
    private final List<String> merges = new ArrayList<>();
    private final Map<String, Integer> stateDimensions = new LinkedHashMap<>();
    private final Random noise = new Random(42);

    private TinyLlama(Shape shape, Style style, boolean broken, String tool) {
        this(shape, style, broken, tool, "{}");
    }

    private TinyLlama(Shape shape, Style style, boolean broken, String tool, String arguments) {
        this.shape = shape;
        this.style = style;
        this.broken = broken;
        this.tool = tool;
        this.arguments = arguments;
        this.transitions = new ArrayList<>(TRANSITIONS);
        if (tool != null) {
            transitions.addAll(List.of(new String[] {callPiece(), EOS}, new String[] {"I", "▁will"},
                    new String[] {"▁will", "▁skip"}, new String[] {"▁skip", "▁it"}, new String[] {"▁it", "."}));
        }
        buildVocabulary();
        for (String[] t : transitions) {
            if (!t[0].equals(DEFAULT)) stateDimensions.put(styled(t[0]), stateDimensions.size());
        }
        if (stateDimensions.size() > firstFixed()) throw new IllegalStateException("too many states for " + shape);
    }

    public static Path write(Shape shape, Path folder) throws IOException {
        return new TinyLlama(shape, Style.BYTE_FALLBACK, false, null).writeTo(folder);
    }

    public static Path write(Shape shape, Style style, Path folder) throws IOException {
        return new TinyLlama(shape, style, false, null).writeTo(folder);
    }

    /**
     * A model that, offered tools, calls {@code tool} with no arguments ({@link #toolCall(String)}),
     * and once a tool's result is in the chat answers {@link #TOOL_ANSWER}.
     */
    public static Path writeToolCaller(Shape shape, Style style, String tool, Path folder) throws IOException {
        if (tool == null || !tool.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("a tool name is 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        return new TinyLlama(shape, style, false, tool).writeTo(folder);
    }

    /**
     * A model that, offered tools, calls {@code tool} with {@code arguments}, a JSON object of at most 256
     * characters without "▁" or "Ġ" ({@link #toolCall(String, String)}); after a tool's result it answers
     * {@link #TOOL_ANSWER}. For example a caller of {@code borrow} with {@code {"amount_cu": "2", "term_days": 1}}.
     */
    public static Path writeToolCaller(Shape shape, Style style, String tool, String arguments, Path folder) throws IOException {
        if (tool == null || !tool.matches("[A-Za-z0-9_.-]{1,64}")) {
            throw new IllegalArgumentException("a tool name is 1-64 characters of A-Z a-z 0-9 _ . -");
        }
        if (arguments == null || arguments.length() > 256 || arguments.contains("▁") || arguments.contains("Ġ")) {
            throw new IllegalArgumentException("arguments are a JSON object of at most 256 characters without ▁ or Ġ");
        }
        try {
            if (!new ObjectMapper().readTree(arguments).isObject()) throw new IllegalArgumentException("arguments are not a JSON object");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("arguments are not JSON", e);
        }
        return new TinyLlama(shape, style, false, tool, arguments).writeTo(folder);
    }

    /** What a tool caller for {@code tool} answers when it is offered tools. */
    public static String toolCall(String tool) {
        return toolCall(tool, "{}");
    }

    /** What a tool caller for {@code tool} with {@code arguments} answers when it is offered tools. */
    public static String toolCall(String tool, String arguments) {
        return "{\"name\": \"" + tool + "\", \"arguments\": " + arguments + "}";
    }

    /** A model whose tokenizer knows {@link #BROKEN_TOKEN}, which lies outside its embeddings. */
    static Path writeBroken(Path folder) throws IOException {
        return new TinyLlama(SMALL, Style.BYTE_FALLBACK, true, null).writeTo(folder);
    }

    /** The tool call as one token, spelled as the vocabulary's pieces are before styling. */
    private String callPiece() {
        return toolCall(tool, arguments).replace(" ", "▁");
    }

    /** A piece as this style spells it: "▁" becomes "Ġ", and the two bytes of é become their symbols. */
    private String styled(String piece) {
        if (style == Style.BYTE_FALLBACK) return piece;
        return switch (piece) {
            case "<0xC3>" -> symbol(0xC3);
            case "<0xA9>" -> symbol(0xA9);
            default -> piece.replace("▁", "Ġ");
        };
    }

    private static String symbol(int b) {
        return Character.toString(BPETokenizer.alteredBytes.getOrDefault(b, b));
    }

    public static long parameters(Shape s) {
        return ModelFolder.estimateParameters(s.hidden(), s.layers(), VOCABULARY, s.ffn(), false);
    }

    private Path writeTo(Path folder) throws IOException {
        Files.createDirectories(folder);
        ObjectMapper json = new ObjectMapper();
        json.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("config.json").toFile(), config());
        json.writeValue(folder.resolve("tokenizer.json").toFile(), tokenizer());
        json.writerWithDefaultPrettyPrinter().writeValue(folder.resolve("tokenizer_config.json").toFile(), tokenizerConfig());
        SafeTensors.write(folder.resolve("model.safetensors"), tensors());
        return folder;
    }

    private void buildVocabulary() {
        add("<unk>");
        add("<s>");
        add(EOS);
        if (style == Style.BYTE_FALLBACK) {
            for (int b = 0; b < 256; b++) add(String.format("<0x%02X>", b));
            SPECIAL.forEach(this::add);
            add("▁");
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?'\"-:;()[]{}_/".chars()
                    .forEach(c -> add(Character.toString(c)));
        } else {
            for (int b = 0; b < 256; b++) add(symbol(b)); // ASCII letters and digits are their own symbols
            SPECIAL.forEach(this::add);
        }
        for (String word : PROMPT_WORDS) {
            String w = styled(word);
            for (int end = 2; end <= w.length(); end++) {
                if (add(w.substring(0, end))) merges.add(w.substring(0, end - 1) + " " + w.charAt(end - 1));
            }
        }
        for (String[] t : transitions) {
            if (!t[0].equals(DEFAULT)) add(styled(t[0]));
            add(styled(t[1]));
        }
        for (int filler = 0; vocabulary.size() < VOCABULARY; filler++) add("<unused" + filler + ">");
        if (vocabulary.size() > VOCABULARY) throw new IllegalStateException("vocabulary too large");
        if (broken) vocabulary.put(BROKEN_TOKEN, 600);
    }

    private boolean add(String piece) {
        return vocabulary.putIfAbsent(piece, vocabulary.size()) == null;
    }

    private int id(String piece) {
        return vocabulary.get(piece);
    }

    private Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("architectures", List.of("LlamaForCausalLM"));
        c.put("model_type", "llama");
        c.put("hidden_size", shape.hidden());
        c.put("intermediate_size", shape.ffn());
        c.put("num_attention_heads", shape.heads());
        c.put("num_key_value_heads", shape.kvHeads());
        c.put("num_hidden_layers", shape.layers());
        c.put("max_position_embeddings", context());
        c.put("rms_norm_eps", 1e-5);
        c.put("vocab_size", VOCABULARY);
        c.put("bos_token_id", id("<s>"));
        c.put("eos_token_id", List.of(id(EOS), id("<|end|>")));
        c.put("hidden_act", "silu");
        c.put("rope_theta", 1_000_000.0);
        c.put("tie_word_embeddings", false);
        c.put("torch_dtype", "float32");
        return c;
    }

    private Map<String, Object> tokenizer() {
        List<Map<String, Object>> added = new ArrayList<>();
        List<String> specials = new ArrayList<>(List.of("<unk>", "<s>", EOS));
        specials.addAll(SPECIAL);
        if (broken) specials.add(BROKEN_TOKEN);
        for (String s : specials) {
            added.add(Map.of("id", id(s), "content", s, "single_word", false, "lstrip", false, "rstrip", false,
                    "normalized", false, "special", true));
        }
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "BPE");
        model.put("unk_token", "<unk>");
        model.put("fuse_unk", true);
        model.put("byte_fallback", style == Style.BYTE_FALLBACK);
        model.put("vocab", vocabulary);
        model.put("merges", merges);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("version", "1.0");
        t.put("added_tokens", added);
        if (style == Style.BYTE_FALLBACK) {
            t.put("normalizer", Map.of("type", "Sequence", "normalizers", List.of(
                    Map.of("type", "Prepend", "prepend", "▁"),
                    Map.of("type", "Replace", "pattern", Map.of("String", " "), "content", "▁"))));
            t.put("pre_tokenizer", null);
        } else {
            t.put("normalizer", null);
            t.put("pre_tokenizer", Map.of("type", "Sequence", "pretokenizers", List.of(Map.of("type", "ByteLevel",
                    "add_prefix_space", false, "trim_offsets", true, "use_regex", true))));
        }
        t.put("model", model);
        return t;
    }

    private Map<String, Object> tokenizerConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("bos_token", "<s>");
        c.put("eos_token", EOS);
        c.put("unk_token", "<unk>");
        c.put("add_bos_token", true);
        if (style == Style.BYTE_FALLBACK) c.put("legacy", false); // byte-level configs (Llama 3, Qwen) have none
        c.put("model_max_length", context());
        c.put("tokenizer_class", "LlamaTokenizer");
        c.put("chat_template", CHAT_TEMPLATE);
        return c;
    }

    private int context() {
        return tool == null ? CONTEXT : TOOL_CALLER_CONTEXT;
    }

    // Residual dimensions with a fixed meaning, above the state dimensions; a tool caller has two more.
    private int firstFixed() {
        return tool == null ? bias() : resultTrigger();
    }

    private int resultTrigger() {
        return shape.hidden() - 6;
    }

    private int resultFlag() {
        return shape.hidden() - 5;
    }

    private int bias() {
        return shape.hidden() - 4;
    }

    private int trigger() {
        return shape.hidden() - 3;
    }

    private int otherTokens() {
        return shape.hidden() - 2;
    }

    private int toolsFlag() {
        return shape.hidden() - 1;
    }

    private List<SafeTensors.Tensor> tensors() {
        int h = shape.hidden();
        int q = shape.heads() * shape.headSize();
        int kv = shape.kvHeads() * shape.headSize();
        List<SafeTensors.Tensor> tensors = new ArrayList<>();
        tensors.add(matrix("model.embed_tokens.weight", VOCABULARY, h, embeddings(), 0.01f));
        for (int layer = 0; layer < shape.layers(); layer++) {
            String p = "model.layers." + layer + ".";
            float[][] wq = new float[q][h], wk = new float[kv][h], wv = new float[kv][h], wo = new float[h][q];
            if (layer == 0) toolsHead(wq, wk, wv, wo);
            if (layer == 0 && tool != null) resultHead(wq, wk, wv, wo);
            tensors.add(ones(p + "input_layernorm.weight", h));
            tensors.add(matrix(p + "self_attn.q_proj.weight", q, h, wq, 0.02f));
            tensors.add(matrix(p + "self_attn.k_proj.weight", kv, h, wk, 0.02f));
            tensors.add(matrix(p + "self_attn.v_proj.weight", kv, h, wv, 0.02f));
            tensors.add(matrix(p + "self_attn.o_proj.weight", h, q, wo, 0.02f));
            tensors.add(ones(p + "post_attention_layernorm.weight", h));
            tensors.add(matrix(p + "mlp.gate_proj.weight", shape.ffn(), h, new float[shape.ffn()][h], 0.02f));
            tensors.add(matrix(p + "mlp.up_proj.weight", shape.ffn(), h, new float[shape.ffn()][h], 0.02f));
            tensors.add(matrix(p + "mlp.down_proj.weight", h, shape.ffn(), new float[h][shape.ffn()], 0.02f));
        }
        tensors.add(ones("model.norm.weight", h));
        tensors.add(matrix("lm_head.weight", VOCABULARY, h, outputHead(), 0.02f));
        return tensors;
    }

    private float[][] embeddings() {
        float[][] e = new float[VOCABULARY][shape.hidden()];
        for (var entry : vocabulary.entrySet()) {
            if (entry.getValue() >= VOCABULARY) continue;
            float[] row = e[entry.getValue()];
            row[bias()] = 1;
            Integer state = stateDimensions.get(entry.getKey());
            if (state != null) row[state] = 1;
            else if (entry.getKey().equals("<|tools|>")) row[trigger()] = 1;
            else if (tool != null && entry.getKey().equals("<|tool|>")) row[resultTrigger()] = 1;
            else row[otherTokens()] = 1;
        }
        return e;
    }

    /**
     * Head 0 attends to {@code <|tools|>} from every later position and copies a 1 into the
     * tools flag. After the layer norm, a dimension holding 1 of an embedding's two ones holds
     * n = √(hidden / 2); the weights divide it out, so the score is 11.3² / √16 ≈ 32 and 1 lands
     * in the flag at either size.
     */
    private void toolsHead(float[][] wq, float[][] wk, float[][] wv, float[][] wo) {
        float n = (float) Math.sqrt(shape.hidden() / 2.0);
        int last = shape.headSize() - 1;
        wq[last][bias()] = 11.3f / n;
        wk[last][trigger()] = 11.3f / n;
        wv[0][trigger()] = 1;
        wo[toolsFlag()][0] = 1 / n;
    }

    /**
     * The first head of the second key-value group does for {@code <|tool|>} (a tool's result)
     * what head 0 does for {@code <|tools|>}, into the result flag.
     */
    private void resultHead(float[][] wq, float[][] wk, float[][] wv, float[][] wo) {
        float n = (float) Math.sqrt(shape.hidden() / 2.0);
        int size = shape.headSize();
        int head = shape.heads() / shape.kvHeads(); // its key-value head is 1
        wq[head * size + size - 1][bias()] = 11.3f / n;
        wk[size + size - 1][resultTrigger()] = 11.3f / n;
        wv[size][resultTrigger()] = 1 / n; // a value of 1, not n: the output's noise then spills less into every dimension
        wo[resultFlag()][head * size] = 1;
    }

    /**
     * Each state's dimension votes for its next token. The tools flag votes 0.6 for every
     * next token but "Hello", so it changes no other choice, whatever its size; after
     * {@code <|assistant|>} it lifts the tool call (0.6 + 0.6) over "Hello" (1).
     */
    private float[][] outputHead() {
        float[][] w = new float[VOCABULARY][shape.hidden()];
        for (String[] t : transitions) {
            int from = t[0].equals(DEFAULT) ? otherTokens() : stateDimensions.get(styled(t[0]));
            w[id(styled(t[1]))][from] += 1;
            if (!t[1].equals("Hello")) w[id(styled(t[1]))][toolsFlag()] = 0.6f;
            if (tool != null && !t[1].equals("Hello")) w[id(styled(t[1]))][resultFlag()] = 0.6f;
        }
        String call = tool == null ? TOOL_OPEN : callPiece();
        w[id(styled(call))][stateDimensions.get("<|assistant|>")] += 0.6f;
        w[id(styled(call))][toolsFlag()] = 0.6f;
        if (tool != null) answerAfterResult(w);
        return w;
    }

    /**
     * A tool caller's answer after a result: {@code <|assistant|>} votes 0.7 for "I" (below
     * "Hello" and the call), the result flag 1 for "I" and 0.6 for every other next token but
     * "Hello". So "I" (1.7) wins only after {@code <|assistant|>} with a result in the chat
     * (over 1.2 at most), and everywhere else a state's next token (1.6 or more) still beats it.
     */
    private void answerAfterResult(float[][] w) {
        w[id(styled("I"))][stateDimensions.get("<|assistant|>")] += 0.7f;
        w[id(styled("I"))][resultFlag()] = 1f;
    }

    private SafeTensors.Tensor matrix(String name, int rows, int columns, float[][] chosen, float noiseScale) {
        float[] data = new float[rows * columns];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                data[r * columns + c] = chosen[r][c] + (float) noise.nextGaussian() * noiseScale;
            }
        }
        return new SafeTensors.Tensor(name, new int[] {rows, columns}, data);
    }

    private static SafeTensors.Tensor ones(String name, int size) {
        float[] data = new float[size];
        java.util.Arrays.fill(data, 1f);
        return new SafeTensors.Tensor(name, new int[] {size}, data);
    }
}
