package dev.forge.node;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;

/** One real node for the test run: a fresh data folder, and the trained model (see TestModel). */
public class NodeTestResource implements QuarkusTestResourceLifecycleManager {
    @Override
    public Map<String, String> start() {
        String model = TestModel.folder().toString();
        try {
            return Map.of("forge.data", Files.createTempDirectory("forge-node-test").toString(), "forge.models", model);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
