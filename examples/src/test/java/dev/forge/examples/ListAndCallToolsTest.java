package dev.forge.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The LangChain4j example, run as its own program against a real node: the packaged node from
 * mcp-server (built before this module) serving the repository's stories260K.
 */
class ListAndCallToolsTest {
    static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    static final Path NODE_JAR = ROOT.resolve("mcp-server/target/quarkus-app/quarkus-run.jar");

    @Test
    void listsTheToolsChecksTheBalanceAndPaysForAChat() throws Exception {
        assertTrue(Files.exists(NODE_JAR), "build the node first: ./mvnw -pl mcp-server -am package -DskipTests");
        Path data = Files.createTempDirectory("forge-example");
        Process node = java(List.of("--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", "-Dforge.data=" + data, "-Dquarkus.http.port=0",
                "-Dforge.models=" + ROOT.resolve("models/stories260K"), "-jar", NODE_JAR.toString()), null);
        try {
            String address = awaitAddress(data, node);
            String token = createAgent(address, Files.readString(data.resolve("operator_token")).strip());
            Process example = java(List.of("-cp", System.getProperty("java.class.path"), ListAndCallTools.class.getName(),
                    address + "/mcp", "stories260K"), token);
            String out = new String(example.getInputStream().readAllBytes());
            assertTrue(example.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, example.exitValue(), out);
            assertTrue(out.lines().anyMatch(l -> l.startsWith("chat: ")), out);
            assertTrue(out.contains("\"balance_cu\""), out);
            assertTrue(out.contains("there was a little girl named Lily"), out);
            String err = Files.readString(lastStderr);
            assertTrue(!err.contains("SLF4J") && !err.contains("\tat "), "quiet stderr: " + err);
        } finally {
            node.destroy();
            node.waitFor(60, TimeUnit.SECONDS);
        }
    }

    static Path lastStderr;

    static Process java(List<String> args, String token) throws Exception {
        var command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(args);
        lastStderr = Files.createTempFile("forge-example", ".err");
        var builder = new ProcessBuilder(command).redirectError(lastStderr.toFile());
        if (token == null) builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        else builder.environment().put("FORGE_TOKEN", token);
        return builder.start();
    }

    static String awaitAddress(Path data, Process node) throws Exception {
        Path file = data.resolve("node.address");
        for (int i = 0; i < 1200 && !Files.exists(file); i++) {
            if (!node.isAlive()) throw new AssertionError("the node did not start: " + node.info());
            Thread.sleep(100);
        }
        return Files.readString(file).strip();
    }

    private static String createAgent(String address, String operator) throws Exception {
        return createAgent(address, operator, "example");
    }

    static String createAgent(String address, String operator, String id) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(address + "/v1/forge/accounts")).header("Authorization", "Bearer " + operator)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{\"id\":\"" + id + "\"}")).build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        var token = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"").matcher(body);
        assertTrue(token.find(), body);
        return token.group(1);
    }
}
