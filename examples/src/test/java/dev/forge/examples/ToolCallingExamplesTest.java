package dev.forge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.inference.TinyLlama;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The tool-calling example and the agent loop, each run as its own program against a real node
 * (the packaged node, its own process) that serves a generated model which calls tools: offered
 * tools, it calls {@code balance}, and once the result is back it answers {@link TinyLlama#TOOL_ANSWER}.
 */
class ToolCallingExamplesTest {
    static final String MODEL = "forge-caller";
    static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void theToolCallingProgramAndTheAgentLoopRunOnTheNodesV1AndMcpTools() throws Exception {
        assertTrue(Files.exists(ListAndCallToolsTest.NODE_JAR), "build the node first: ./mvnw -pl mcp-server -am package -DskipTests");
        Path data = Files.createTempDirectory("forge-example");
        Path caller = TinyLlama.writeToolCaller(TinyLlama.SMALL, TinyLlama.Style.BYTE_FALLBACK, "balance",
                Files.createTempDirectory("forge-models").resolve(MODEL));
        Process node = ListAndCallToolsTest.java(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dforge.data=" + data, "-Dquarkus.http.port=0",
                "-Dforge.models=" + caller, "-jar", ListAndCallToolsTest.NODE_JAR.toString()), null);
        try {
            String address = ListAndCallToolsTest.awaitAddress(data, node);
            String operator = Files.readString(data.resolve("operator_token")).strip();

            String tooling = run(ListAndCallToolsTest.createAgent(address, operator, "toolie"), ToolCallingAgent.class.getName(),
                    address, MODEL, "How much can I spend?");
            assertTrue(tooling.lines().anyMatch(l -> l.startsWith("tool balance {} -> ") && l.contains("available_cu")), tooling);
            assertTrue(tooling.contains("answer: " + TinyLlama.TOOL_ANSWER), tooling);

            Path folder = Files.createTempDirectory("forge-agent-loop");
            String loop = run(ListAndCallToolsTest.createAgent(address, operator, "looper"), AgentLoop.class.getName(),
                    address, folder.toString(), "2", MODEL);
            List<JsonNode> steps = Files.readAllLines(folder.resolve("journal.jsonl")).stream().map(ToolCallingExamplesTest::json).toList();
            assertEquals(2, steps.stream().filter(s -> s.path("decided").asText().equals("skip")
                    && s.path("why").asText().contains("called balance")).count(), loop);
            assertTrue(loop.contains("result: Result[done=0, skipped=2"), loop);
        } finally {
            node.destroy();
            node.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private static String run(String token, String main, String... args) throws Exception {
        var command = new java.util.ArrayList<>(List.of("-cp", System.getProperty("java.class.path"), main));
        command.addAll(List.of(args));
        Process example = ListAndCallToolsTest.java(command, token);
        String out = new String(example.getInputStream().readAllBytes());
        assertTrue(example.waitFor(300, TimeUnit.SECONDS));
        assertEquals(0, example.exitValue(), out + Files.readString(ListAndCallToolsTest.lastStderr));
        return out;
    }

    private static JsonNode json(String line) {
        try {
            return JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
