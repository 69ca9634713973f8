package dev.forge.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The packaged node started as a process: a startup failure is two lines on stderr (what is wrong,
 * what to do) and a non-zero exit; a started node says where everything is and records its
 * address in its data folder until it stops.
 */
class NodeStartupIT {
    @org.junit.jupiter.api.BeforeAll
    static void packaged() {
        NodeProcess.requirePackaged();
    }

    @Test
    void anUnknownModelIsTwoLinesAndANonZeroExit() throws Exception {
        try (var node = NodeProcess.start(Files.createTempDirectory("forge-bad-model"), "/no/such/model")) {
            assertNotEquals(0, node.awaitExit());
            assertEquals(List.of(
                    "forge node: cannot start: /no/such/model is neither a model folder nor in the catalog "
                            + "(qwen2.5:0.5b, qwen2.5:1.5b, llama3.2:1b, llama3.2:3b, mistral:7b)",
                    "  give --model a model folder (config.json, model.safetensors, tokenizer.json) or a catalog name from ./forge models"),
                    withoutQuarkusInfo(node.stderrLines()));
        }
    }

    @Test
    void aSecondNodeOnOneDataFolderIsTwoLinesAndTheFirstRecordsItsAddress() throws Exception {
        Path data = Files.createTempDirectory("forge-twice");
        try (var first = NodeProcess.start(data, TestModel.folder().toString())) {
            String address = first.awaitAddress();
            assertTrue(address.matches("http://127\\.0\\.0\\.1:\\d+"), address);
            String banner = first.stderrText();
            assertTrue(banner.contains("MCP           " + address + "/mcp"), banner);
            assertTrue(banner.contains("models        stories260K (tiny)"), banner);
            assertTrue(banner.contains("./forge account create NAME --data " + data), banner);
            assertTrue(banner.contains("claude mcp add --transport http forge " + address + "/mcp"), banner);
            try (var second = NodeProcess.start(data, TestModel.folder().toString())) {
                assertNotEquals(0, second.awaitExit());
                List<String> lines = withoutQuarkusInfo(second.stderrLines());
                assertEquals(List.of("forge node: cannot start: the ledger in " + data.resolve("ledger")
                                + " is in use by another process (or already open in this one)",
                        "  another node is running on this data folder: stop it, or give this one another --data"), lines);
            }
            assertEquals(address, Files.readString(data.resolve(StartupReport.ADDRESS_FILE)).strip(), "the second did not take it over");
        }
        assertFalse(Files.exists(data.resolve(StartupReport.ADDRESS_FILE)), "a clean stop removes node.address");
    }

    @Test
    void aLostLedgerIsTwoLinesSayingWhatToDo() throws Exception {
        Path data = Files.createTempDirectory("forge-lost");
        try (var first = NodeProcess.start(data, TestModel.folder().toString())) {
            first.awaitAddress();
        }
        Files.delete(data.resolve("ledger").resolve("ledger.db"));
        try (var again = NodeProcess.start(data, TestModel.folder().toString())) {
            assertNotEquals(0, again.awaitExit());
            List<String> lines = withoutQuarkusInfo(again.stderrLines());
            assertEquals(2, lines.size(), lines.toString());
            assertTrue(lines.get(0).startsWith("forge node: cannot start: the data folder " + data), lines.get(0));
            assertTrue(lines.get(0).endsWith("is gone"), lines.get(0));
            assertEquals("  restore it from a backup (or use an empty folder for a new node)", lines.get(1));
        }
        assertFalse(Files.exists(data.resolve("ledger").resolve("ledger.db")), "a refused start creates no ledger");
    }

    /** jlama's INFO line about the model's memory type may come before the failure. */
    private static List<String> withoutQuarkusInfo(List<String> lines) {
        List<String> kept = lines.stream().filter(l -> !l.contains(" INFO ")).toList();
        assertFalse(kept.stream().anyMatch(l -> l.strip().startsWith("at ")), String.join("\n", lines));
        return kept;
    }
}
