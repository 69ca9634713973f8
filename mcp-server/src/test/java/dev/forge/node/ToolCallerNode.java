package dev.forge.node;

import dev.forge.inference.TinyLlama;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A node that serves, beside the trained model, a generated model that calls tools: offered
 * tools, it calls {@value #TOOL} with no arguments, and after its result it answers
 * {@link TinyLlama#TOOL_ANSWER} (see {@link TinyLlama#writeToolCaller}).
 */
public class ToolCallerNode implements QuarkusTestResourceLifecycleManager {
    static final String MODEL = "forge-caller";
    static final String TOOL = "balance";

    @Override
    public Map<String, String> start() {
        try {
            Path caller = TinyLlama.writeToolCaller(TinyLlama.SMALL, TinyLlama.Style.BYTE_FALLBACK, TOOL,
                    Files.createTempDirectory("forge-models").resolve(MODEL));
            return Map.of("forge.data", Files.createTempDirectory("forge-node-test").toString(),
                    "forge.models", TestModel.folder() + "," + caller);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
