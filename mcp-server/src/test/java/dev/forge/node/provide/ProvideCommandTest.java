package dev.forge.node.provide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.forge.node.TestModel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code forge provide}'s flags: read strictly, each bad one refused with one sentence before anything starts. */
class ProvideCommandTest {
    static final String NODE = "http://127.0.0.1:3000";
    @TempDir Path folder;

    Provider.Settings settings(String node, String token, Path tokenFile, String port, String price) {
        return ProvideCommand.settings(node, token, tokenFile, TestModel.folder(), folder, port, price, false);
    }

    String refusal(String node, String token, Path tokenFile, String port, String price) {
        var e = assertThrows(ProviderException.class, () -> settings(node, token, tokenFile, port, price));
        assertEquals(ProvideCommand.BAD_FLAG, e.code());
        return e.getMessage();
    }

    @Test
    void goodFlagsAreReadExactly() throws Exception {
        Path tokenFile = Files.writeString(folder.resolve("token"), "forge_ag_abc\n");
        var s = settings(NODE, null, tokenFile, "3100", "0.000250");
        assertEquals("forge_ag_abc", s.token());
        assertEquals(3100, s.port());
        assertEquals(250, s.pricePerKiloToken(), "µCU, no float on the way");
        assertEquals(NODE, s.node().toString());
    }

    @Test
    void eachBadFlagIsOneSentence() throws Exception {
        assertEquals("--port must be 0 to 65535, not '65536'", refusal(NODE, "t", null, "65536", "1"));
        assertEquals("--port must be 0 to 65535, not '-1'", refusal(NODE, "t", null, "-1", "1"));
        assertEquals("--node must be an http(s) address like http://127.0.0.1:3000, not 'ftp://x'",
                refusal("ftp://x", "t", null, "0", "1"));
        assertEquals("give the token once: --token or --token-file, not both", refusal(NODE, "t", folder.resolve("f"), "0", "1"));
        assertEquals("provide acts as an agent: give its token with --token-file FILE (or --token)", refusal(NODE, null, null, "0", "1"));
        Path empty = Files.writeString(folder.resolve("empty"), "\n");
        assertEquals("the token file " + empty + " is empty", refusal(NODE, null, empty, "0", "1"));
        assertEquals("--price-per-1k is at most 100000.000000 CU", refusal(NODE, "t", null, "0", "100000.000001"));
        assertEquals("--price-per-1k: an amount of CU is written like \"12.5\": up to 12 digits, optionally a point and up to "
                + "6 decimals", refusal(NODE, "t", null, "0", "-1"));
        var noModel = assertThrows(ProviderException.class,
                () -> ProvideCommand.settings(NODE, "t", null, folder.resolve("nothing"), folder, "0", "1", false));
        assertEquals("--model " + folder.resolve("nothing") + " is not a folder", noModel.getMessage());
    }
}
