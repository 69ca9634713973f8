package dev.forge.node;

import dev.forge.inference.TinyLlama;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A node that serves, beside the trained model, a generated model that borrows: offered tools, it
 * calls {@code borrow} with {@value #ARGUMENTS}, and after a tool's result it answers
 * {@link TinyLlama#TOOL_ANSWER} (see {@link TinyLlama#writeToolCaller(TinyLlama.Shape, TinyLlama.Style, String, String, Path)}).
 */
public class BorrowerNode implements QuarkusTestResourceLifecycleManager {
    static final String MODEL = "forge-borrower";
    static final String ARGUMENTS = "{\"amount_cu\": \"20\", \"term_days\": 1, \"collateral_cu\": \"30\"}";

    @Override
    public Map<String, String> start() {
        try {
            Path caller = TinyLlama.writeToolCaller(TinyLlama.SMALL, TinyLlama.Style.BYTE_FALLBACK, "borrow", ARGUMENTS,
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
