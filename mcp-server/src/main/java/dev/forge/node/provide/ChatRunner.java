package dev.forge.node.provide;

import com.github.tjake.jlama.tensor.operations.TensorOperationsProvider;
import dev.forge.economy.work.ChatRequest;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.ModelDigest;
import dev.forge.economy.work.Replay;
import dev.forge.inference.ChatMessage;
import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.LocalModel;
import dev.forge.inference.Prompt;
import dev.forge.inference.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The model this provider sells, loaded with jlama on this machine, its folder's digest, and
 * how it runs ({@link Engine}): what an attestation states about the run.
 */
public final class ChatRunner implements AutoCloseable {
    private final LocalModel model;
    private final Engine engine;

    private ChatRunner(LocalModel model, Engine engine) {
        this.model = model;
        this.engine = engine;
    }

    /** Loads the model in {@code folder}; jlama's working files go to {@code workingDirectory}. */
    public static ChatRunner load(Path folder, Path workingDirectory) {
        return load(folder, workingDirectory, Tier.Bounds.DEFAULT);
    }

    /** The same, its tier read with {@code tiers} (the demo's tiny models need bounds of their own). */
    public static ChatRunner load(Path folder, Path workingDirectory, Tier.Bounds tiers) {
        String name = folder.toAbsolutePath().normalize().getFileName().toString();
        // Digested before loading, as the node's engine does: the bytes that will run.
        LocalModel model = LocalModel.load(name, folder, workingDirectory, tiers, ModelDigest::of);
        return new ChatRunner(model, describe(model));
    }

    /**
     * The prompt an order's chat request runs as: its text, or its messages as they are (a
     * provider's run and a node's replay of it must be the same run).
     */
    public static Prompt prompt(ChatRequest request) {
        return switch (request.input()) {
            case ChatRequest.Messages m -> new Prompt.Chat(m.messages().stream()
                    .map(message -> new ChatMessage(ChatMessage.Role.valueOf(message.role().name()), message.content(), null))
                    .toList(), List.of());
            case ChatRequest.Text t -> new Prompt.Text(t.text());
        };
    }

    /** How this process runs {@code model}: what an attestation states, and what a node's replay reports to compare with it. */
    public static Engine describe(LocalModel model) {
        return new Engine("jlama", jlamaVersion(), kernel(), model.workingType(), forgeVersion(), hardware());
    }

    /** jlama picks its kernels once per process: native SIMD when its library loads, else the Vector API. */
    static String kernel() {
        String name = TensorOperationsProvider.get().name().toLowerCase(Locale.ROOT);
        if (name.contains("native")) return "native";
        if (name.contains("panama")) return "panama";
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    private static String jlamaVersion() {
        return resourceProperty("/META-INF/maven/com.github.tjake/jlama-core/pom.properties", "version");
    }

    private static String forgeVersion() {
        return resourceProperty("/forge-version.properties", "version");
    }

    private static String resourceProperty(String resource, String key) {
        Properties properties = new Properties();
        try (InputStream in = ChatRunner.class.getResourceAsStream(resource)) {
            if (in != null) properties.load(in);
        } catch (IOException e) {
            // An unreadable version is stated as unknown, not guessed.
        }
        return properties.getProperty(key, "unknown");
    }

    /** The CPU as /proc/cpuinfo names it, and the cores this JVM may use. */
    static String hardware() {
        String cpu = "";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("");
        } catch (IOException | RuntimeException e) {
            // Not Linux, or no /proc: the core count alone.
        }
        String text = (cpu.isEmpty() ? "" : cpu + ", ") + Runtime.getRuntime().availableProcessors() + " cores";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return bytes.length <= 128 ? text : new String(bytes, 0, 128, StandardCharsets.UTF_8).replaceAll("\uFFFD$", "");
    }

    public String modelName() {
        return model.name();
    }

    public byte[] modelDigest() {
        return model.digest();
    }

    public Tier tier() {
        return model.tier();
    }

    public Engine engine() {
        return engine;
    }

    public int contextLength() {
        return model.contextLength();
    }

    /** Tokens of the prompt as the model sees it, without running it: to price the worst case before taking. */
    public int promptTokens(Prompt prompt) {
        return model.encode(prompt).length;
    }

    /** Runs the prompt with exactly the order's parameters: greedy at temperature 0, else seeded. */
    public Completion run(Prompt prompt, Replay replay) {
        var request = new GenerationRequest(prompt, replay.maxTokens(), replay.temperatureMilli() / 1000f, replay.seed(),
                replay.stop());
        return generate(request);
    }

    /** One generation exactly as requested: what {@link EvalRunner} runs each case with. */
    public Completion generate(GenerationRequest request) {
        return model.generate(request, text -> { }, () -> false);
    }

    /** How the attestation names a finish reason: the chat tool's words (end, stop, length, tool_call). */
    public static String finishReason(Completion completion) {
        return completion.finishReason().name().toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        model.close();
    }
}
