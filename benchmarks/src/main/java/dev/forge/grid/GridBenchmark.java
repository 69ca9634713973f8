package dev.forge.grid;

import java.util.Arrays;
import java.util.List;

/**
 * The grid's benchmarks as one command (they start nats-server and JVM processes, which JMH
 * does not fit): {@code apply}, {@code converge}, {@code chat} and {@code remote-chat}; docs/benchmarks.md has the
 * commands and the numbers. Results go to stdout, one line each; logs to stderr.
 */
public final class GridBenchmark {
    private GridBenchmark() {}

    public static void main(String[] args) throws Exception {
        String usage = """
                usage: GridBenchmark apply [LEDGERS TRADES_PER_LEDGER ROUNDS]     (default 3 2000 3)
                       GridBenchmark converge [K N...]                            (default 3000 1 3 5 10)
                       GridBenchmark chat [MODEL_FOLDER CHATS TOKENS]              (default models/stories260K 20 200)
                       GridBenchmark remote-chat [MODEL_FOLDER CHATS TOKENS]       (default models/stories260K 15 64;
                           the node jar: -Dforge.node.jar, default mcp-server/target/quarkus-app/quarkus-run.jar)""";
        if (args.length == 0) {
            System.err.println(usage);
            System.exit(2);
        }
        try {
            run(args[0], Arrays.asList(args).subList(1, args.length), usage);
        } catch (Exception e) {
            // Ledger writers and NATS threads would keep the JVM alive after a failure.
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(String command, List<String> rest, String usage) throws Exception {
        switch (command) {
            case "apply" -> ApplierThroughput.run(intAt(rest, 0, 3), intAt(rest, 1, 2000), intAt(rest, 2, 3));
            case "converge" -> Convergence.run(intAt(rest, 0, 3000), rest.size() > 1
                    ? rest.subList(1, rest.size()).stream().map(Integer::parseInt).toList() : List.of(1, 3, 5, 10));
            case "chat" -> ChatOverhead.run(rest.isEmpty() ? "models/stories260K" : rest.get(0), intAt(rest, 1, 20), intAt(rest, 2, 200));
            case "remote-chat" -> RemoteChatOverhead.run(rest.isEmpty() ? "models/stories260K" : rest.get(0), intAt(rest, 1, 15), intAt(rest, 2, 64));
            default -> {
                System.err.println(usage);
                System.exit(2);
            }
        }
    }

    private static int intAt(List<String> args, int index, int otherwise) {
        if (args.size() <= index) return otherwise;
        int value = Integer.parseInt(args.get(index));
        if (value < 1 || value > 1_000_000) throw new IllegalArgumentException("1 to 1,000,000: " + value);
        return value;
    }
}
