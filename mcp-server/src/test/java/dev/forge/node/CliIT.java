package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The CLI through the launcher, against a packaged node on a random port: every command finds the
 * node from --data alone (node.address), prints nothing on stderr but its own lines (no SLF4J, no
 * JDK warnings), and takes the agent's token from a file or FORGE_TOKEN.
 */
class CliIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static Path data;
    static NodeProcess node;
    static String agentToken;

    @BeforeAll
    static void start() throws Exception {
        NodeProcess.requirePackaged();
        data = Files.createTempDirectory("forge-cli-it");
        node = NodeProcess.start(data, TestModel.folder().toString());
        node.awaitAddress();
        var created = Launcher.run("account", "create", "ada", "--data", data.toString());
        assertEquals(0, created.exit(), created.errText());
        assertEquals(List.of(), created.err(), "nothing but the answer");
        agentToken = JSON.readTree(created.out()).get("token").asText();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.close();
    }

    @Test
    void chatWithTheTokenInTheEnvironmentPrintsTheTextAndOneLineOnStderr() throws Exception {
        var chat = Launcher.run(Map.of("FORGE_TOKEN", agentToken), "chat", "--data", data.toString(), "--model", "stories260K",
                "--max-tokens", "8", "Once upon a time");
        assertEquals(0, chat.exit(), chat.errText());
        assertTrue(chat.out().startsWith(", there was a little girl"), chat.out());
        assertEquals(1, chat.err().size(), chat.errText());
        assertTrue(chat.err().getFirst().matches("forge: 8 tokens, cost [0-9.]+ CU, balance [0-9.]+ CU, trade \\d+"), chat.errText());
    }

    @Test
    void chatWithATokenFile() throws Exception {
        Path file = Files.createTempFile("forge-token", "");
        Files.writeString(file, agentToken + "\n");
        var chat = Launcher.run("chat", "--data", data.toString(), "--token-file", file.toString(), "--model", "stories260K",
                "--max-tokens", "4", "Once upon a time");
        assertEquals(0, chat.exit(), chat.errText());
        assertEquals(1, chat.err().size(), chat.errText());
    }

    @Test
    void chatWithoutAnAgentTokenIsOneLine() throws Exception {
        var chat = Launcher.run("chat", "--data", data.toString(), "--model", "stories260K", "Once upon a time");
        assertEquals(1, chat.exit());
        assertEquals("", chat.out());
        assertEquals(List.of("forge: chat acts as an agent: give its token with --token-file FILE or FORGE_TOKEN (or --token)"), chat.err());
    }

    @Test
    void chatWithAWrongTokenIsOneLine() throws Exception {
        var chat = Launcher.run(Map.of("FORGE_TOKEN", "forge_ag_wrong"), "chat", "--data", data.toString(), "--model", "stories260K", "hi");
        assertEquals(1, chat.exit());
        assertEquals(1, chat.err().size(), chat.errText());
        assertTrue(chat.err().getFirst().startsWith("forge: unauthorized"), chat.errText());
    }

    @Test
    void accountListShowsTheAgentAndTheProvider() throws Exception {
        var list = Launcher.run("account", "list", "--data", data.toString());
        assertEquals(0, list.exit(), list.errText());
        assertEquals(List.of(), list.err());
        assertTrue(list.out().startsWith("ACCOUNT"), list.out());
        assertTrue(list.out().lines().anyMatch(l -> l.matches("ada +agent +[0-9.]+")), list.out());
    }

    @Test
    void policySetThenShow() throws Exception {
        var set = Launcher.run("policy", "set", "ada", "--per-request", "5", "--per-hour", "50", "--lifetime", "500",
                "--approval-above", "20", "--data", data.toString());
        assertEquals(0, set.exit(), set.errText());
        var show = Launcher.run("policy", "show", "ada", "--data", data.toString());
        assertEquals(0, show.exit(), show.errText());
        assertEquals(JSON.readTree(set.out()).path("policy"), JSON.readTree(show.out()).path("policy"));
        assertTrue(show.out().contains("50"), show.out());
    }

    @Test
    void versionNamesTheCommit() throws Exception {
        var version = Launcher.run("--version");
        assertEquals(0, version.exit(), version.errText());
        assertEquals(List.of(), version.err());
        assertTrue(version.out().strip().matches("forge \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit [0-9a-f]{12}\\)"), version.out());
    }

    @Test
    void mcpHelpSaysWhatHappensToTheNodeItStartsAndTheDefaultDataFolder() throws Exception {
        var help = Launcher.run("mcp", "--help");
        assertEquals(0, help.exit(), help.errText());
        String text = help.out().replaceAll("\\s+", " ");
        assertTrue(text.contains("the embedded stories260K"), text);
        assertTrue(text.contains("keeps running after the session ends"), text);
        assertTrue(text.contains("stop it with: kill $(cat DIR/node.pid)"), text);
        assertTrue(text.contains("--data=DIR the node's data folder (default: " + System.getenv("HOME") + "/.forge/node)"), text);
        assertTrue(text.contains("--token=TOKEN an API token; visible to every local user"), text);
    }
}
