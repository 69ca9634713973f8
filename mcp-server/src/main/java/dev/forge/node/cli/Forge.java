package dev.forge.node.cli;

import dev.forge.inference.CatalogEntry;
import dev.forge.inference.ModelCatalog;
import dev.forge.inference.ModelSource;
import dev.forge.inference.ModelStore;
import dev.forge.node.Identities;
import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code forge} command line, except {@code node}, which the launcher starts as the Quarkus
 * application. Every command here talks to a running node.
 */
@Command(name = "forge", mixinStandardHelpOptions = true, version = "forge 0.1.0",
        description = "Forge: a compute economy for AI agents.",
        subcommands = {Forge.Mcp.class, Forge.Chat.class, Forge.Account.class, Forge.Kill.class, Forge.Release.class, Forge.Approvals.class,
                Forge.Approve.class, Forge.Deny.class, Forge.Models.class})
public final class Forge {
    public static void main(String[] args) {
        var cli = new CommandLine(new Forge());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (!(e instanceof CliException)) throw e;
            command.getErr().println("forge: " + e.getMessage());
            return 1;
        });
        int code = cli.execute(args);
        if (!(args.length > 0 && args[0].equals("mcp") && code == 0)) System.exit(code);
    }

    /** Where the node is and who we are to it. */
    static class Connection {
        @Option(names = "--node", description = "the node's address (default: ${DEFAULT-VALUE})", defaultValue = "http://127.0.0.1:3000")
        URI node;

        @Option(names = "--token", description = "an API token (default: the operator token in --data)")
        String token;

        @Option(names = "--data", description = "the node's data folder (default: ${DEFAULT-VALUE})",
                defaultValue = "${sys:user.home}/.forge/node")
        Path data;

        NodeClient client() {
            return new NodeClient(node, token());
        }

        /** POSTs to the node and prints its answer. */
        int post(String path, Object body) throws Exception {
            System.out.println(NodeClient.pretty(client().post(path, body)));
            return 0;
        }

        String token() {
            if (token != null) return token;
            try {
                return Identities.operatorToken(data);
            } catch (java.io.IOException e) {
                throw new CliException("no --token given and no operator token in " + data + " (has a node started there?)");
            }
        }
    }

    @Command(name = "mcp", mixinStandardHelpOptions = true,
            description = "MCP over stdio for Claude Code and Cursor, served by the node that owns the ledger; "
                    + "starts that node in the background when none answers and --data is given.")
    static final class Mcp implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Option(names = "--model", description = "a model for a node started here (repeatable)")
        java.util.List<String> models = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            if (!new NodeClient(connection.node, "").answers()) new NodeStarter(connection.data, connection.node, models).start();
            new StdioRelay(connection.node, connection.token()).run();
            return 0;
        }
    }

    @Command(name = "chat", mixinStandardHelpOptions = true,
            description = "Pays for one chat as an agent (through the node's MCP chat tool) and prints the answer; "
                    + "the cost, balance and trade id go to stderr.")
    static final class Chat implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Option(names = "--model", required = true, description = "a model the node serves")
        String model;

        @Option(names = "--max-tokens", defaultValue = "256", description = "the most tokens to generate (default: ${DEFAULT-VALUE})")
        int maxTokens;

        @Parameters(index = "0", description = "the prompt")
        String prompt;

        @Override
        public Integer call() throws Exception {
            if (connection.token == null) throw new CliException("chat spends an agent's CU: give its --token");
            var answer = new McpCall(connection.node, connection.token).call("chat",
                    Map.of("model", model, "prompt", prompt, "max_tokens", maxTokens));
            System.out.println(answer.path("text").asText());
            System.err.println("forge: " + answer.path("completion_tokens").asText() + " tokens, cost "
                    + answer.path("cost_cu").asText() + " CU, balance " + answer.path("balance_cu").asText()
                    + " CU, trade " + answer.path("trade_id").asText());
            return 0;
        }
    }

    @Command(name = "account", mixinStandardHelpOptions = true, description = "Agent accounts.",
            subcommands = Account.Create.class)
    static final class Account {
        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Creates an agent account (with the 1,000 CU free tier) and prints its API token once.")
        static final class Create implements Callable<Integer> {
            @CommandLine.Mixin
            Connection connection;

            @Parameters(index = "0", description = "the account's id: 1-64 of A-Z a-z 0-9 . _ : -")
            String id;

            @Override
            public Integer call() throws Exception {
                return connection.post("/v1/forge/accounts", Map.of("id", id));
            }
        }
    }

    @Command(name = "kill", mixinStandardHelpOptions = true, description = "Pulls the kill switch: every spend on the node stops.")
    static final class Kill implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Option(names = "--reason", defaultValue = "pulled from the command line")
        String reason;

        @Override
        public Integer call() throws Exception {
            return connection.post("/v1/forge/kill", Map.of("reason", reason));
        }
    }

    @Command(name = "release", mixinStandardHelpOptions = true, description = "Releases the kill switch (operator only).")
    static final class Release implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Option(names = "--reason", defaultValue = "released from the command line")
        String reason;

        @Override
        public Integer call() throws Exception {
            return connection.post("/v1/forge/kill/release", Map.of("reason", reason));
        }
    }

    @Command(name = "approvals", mixinStandardHelpOptions = true, description = "Lists the spends waiting for approval.")
    static final class Approvals implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Override
        public Integer call() throws Exception {
            System.out.println(NodeClient.pretty(connection.client().get("/v1/forge/approvals")));
            return 0;
        }
    }

    @Command(name = "approve", mixinStandardHelpOptions = true, description = "Approves a held spend (operator only).")
    static final class Approve implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Parameters(index = "0", description = "the approval id")
        String id;

        @Override
        public Integer call() throws Exception {
            return connection.post("/v1/forge/approvals/" + id + "/approve", Map.of());
        }
    }

    @Command(name = "deny", mixinStandardHelpOptions = true, description = "Denies a held spend; its hold is voided.")
    static final class Deny implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Parameters(index = "0", description = "the approval id")
        String id;

        @Override
        public Integer call() throws Exception {
            return connection.post("/v1/forge/approvals/" + id + "/deny", Map.of());
        }
    }

    @Command(name = "models", mixinStandardHelpOptions = true,
            description = "The model catalog, and which models are downloaded.")
    static final class Models implements Callable<Integer> {
        @Option(names = "--models-dir", description = "where models are downloaded (default: ${DEFAULT-VALUE})",
                defaultValue = "${sys:user.home}/.forge/models")
        Path root;

        @Override
        public Integer call() {
            var store = new ModelStore(root, ModelCatalog.builtIn(), ModelSource.HUGGING_FACE);
            System.out.printf("%-14s %-7s %10s  %-11s %-10s %s%n", "NAME", "TIER", "PARAMS", "LICENSE", "INSTALLED", "SOURCE");
            for (CatalogEntry e : ModelCatalog.builtIn().entries()) {
                System.out.printf("%-14s %-7s %9.2fB  %-11s %-10s %s%n", e.name(), e.tier(), e.parameters() / 1e9, e.license(),
                        store.installed(e) ? "yes" : "no", e.source());
            }
            return 0;
        }
    }
}
