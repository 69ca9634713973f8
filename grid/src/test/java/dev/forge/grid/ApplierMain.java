package dev.forge.grid;

import io.nats.client.Connection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One grid node's applier as its own process: follows the stream into its MapDB folder and
 * writes what it holds to a state file, replaced atomically, until it is killed.
 * Arguments: MapDB folder, state file, comma-separated NATS URLs.
 */
public final class ApplierMain {
    private ApplierMain() {}

    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        Path stateFile = Path.of(args[1]);
        List<String> servers = List.of(args[2].split(","));
        try (Connection connection = GridConnection.connect(servers, "applier " + store.getFileName());
             GridApplier applier = GridApplier.open(store);
             GridFollower follower = GridFollower.start(connection, applier)) {
            System.err.println("applier resumes after sequence " + applier.lastSequence());
            while (true) {
                write(stateFile, summary(applier));
                Thread.sleep(200);
            }
        }
    }

    /** Everything that must agree across nodes, one fact a line. */
    static String summary(GridApplier applier) {
        var out = new StringBuilder();
        out.append("root ").append(HexFormat.of().formatHex(applier.gridRoot())).append('\n');
        applier.heads().forEach((node, head) -> out.append("head ").append(node).append(' ').append(head.size()).append(' ')
                .append(HexFormat.of().formatHex(head.root())).append('\n'));
        applier.verifiable().forEach((node, ok) -> out.append("verifiable ").append(node).append(' ').append(ok).append('\n'));
        applier.flows().forEach((account, net) -> out.append("flow ").append(account).append(' ').append(net).append('\n'));
        for (Map.Entry<String, Long> refusal : applier.refusals().entrySet()) {
            out.append("refused ").append(refusal.getKey()).append(' ').append(refusal.getValue()).append('\n');
        }
        out.append("sequence ").append(applier.lastSequence()).append('\n');
        return out.toString();
    }

    private static void write(Path file, String text) throws java.io.IOException {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
