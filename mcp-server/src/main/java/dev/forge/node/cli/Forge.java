package dev.forge.node.cli;

import dev.forge.inference.CatalogEntry;
import dev.forge.inference.ModelCatalog;
import dev.forge.inference.ModelSource;
import dev.forge.inference.ModelStore;
import dev.forge.node.provide.ProvideCommand;
import dev.forge.node.provide.ProviderException;
import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
@Command(name = "forge", mixinStandardHelpOptions = true, versionProvider = ForgeVersion.class,
        description = "Forge: a compute economy for AI agents.",
        subcommands = {Forge.Mcp.class, Forge.Chat.class, Forge.Account.class, Forge.Policy.class, Forge.Kill.class, Forge.Release.class,
                Forge.Approvals.class, Forge.Approve.class, Forge.Deny.class, Forge.Models.class, Forge.Provide.class, Forge.AgentRun.class,
                GridCommand.class, Forge.Demo.class})
public final class Forge {
    public static void main(String[] args) {
        QuietLogging.apply(); // before any library makes an SLF4J logger
        var cli = new CommandLine(new Forge());
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            if (e instanceof CliException) {
                command.getErr().println("forge: " + e.getMessage());
            } else {
                command.getErr().println("forge: unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                        + " (FORGE_DEBUG=1 prints the trace)");
                if (QuietLogging.debug()) e.printStackTrace();
            }
            return 1;
        });
        int code = cli.execute(args);
        // forge mcp keeps serving on the stdio transport's threads after call() returns.
        if (!(args.length > 0 && args[0].equals("mcp") && code == 0)) System.exit(code);
    }

    @Command(name = "mcp", mixinStandardHelpOptions = true,
            description = {"MCP over stdio for Claude Code and Cursor, served by the node that owns the ledger in --data.",
                    "When no node answers, starts one in the background (through the launcher) serving the --model models, "
                            + "or the embedded stories260K without --model; its log is DIR/node.log.",
                    "That node keeps running after the session ends, for the next sessions; "
                            + "stop it with: kill $(cat DIR/node.pid)",
                    "Give the agent's token with --token-file FILE or the FORGE_TOKEN variable "
                            + "(--token works too, but every local user can read it in ps)."})
    static final class Mcp implements Callable<Integer> {
        @CommandLine.Mixin
        Connection connection;

        @Option(names = "--model", paramLabel = "NAME_OR_DIR",
                description = "a model for a node started here (repeatable; default: the embedded stories260K)")
        java.util.List<String> models = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            String token;
            URI address;
            try {
                token = connection.agentToken("forge mcp");
                address = nodeAddress();
            } catch (CliException e) {
                System.err.println("forge: " + e.getMessage());
                StdioRefusal.answerInitialize(e.getMessage()); // the MCP client shows the reason
                return 1;
            }
            return new StdioRelay(address, token).run();
        }

        private URI nodeAddress() throws Exception {
            URI address = connection.node();
            if (new NodeClient(address, "").answers()) return address;
            String launcherPort = System.getenv().getOrDefault("FORGE_PORT", "3000"); // the launcher's default port
            int port = connection.node != null ? connection.node.getPort() : Integer.parseInt(launcherPort);
            return new NodeStarter(connection.data, port, models).start();
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
            var answer = new McpCall(connection.node(), connection.agentToken("chat")).call("chat",
                    Map.of("model", model, "prompt", prompt, "max_tokens", maxTokens));
            System.out.println(answer.path("text").asText());
            System.err.println("forge: " + answer.path("completion_tokens").asText() + " tokens, cost "
                    + answer.path("cost_cu").asText() + " CU, balance " + answer.path("balance_cu").asText()
                    + " CU, trade " + answer.path("trade_id").asText());
            return 0;
        }
    }

    @Command(name = "account", mixinStandardHelpOptions = true, description = "Agent accounts.",
            subcommands = {Account.Create.class, Account.ListAll.class})
    static final class Account {
        @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists every account with its kind and balance (operator only).")
        static final class ListAll implements Callable<Integer> {
            @CommandLine.Mixin
            Connection connection;

            @Override
            public Integer call() throws Exception {
                var accounts = connection.client().get("/v1/forge/accounts");
                System.out.printf("%-24s %-10s %s%n", "ACCOUNT", "KIND", "BALANCE_CU");
                for (var a : accounts) {
                    System.out.printf("%-24s %-10s %s%n", a.path("account").asText(), a.path("kind").asText(), a.path("balance_cu").asText());
                }
                return 0;
            }
        }

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

    @Command(name = "policy", mixinStandardHelpOptions = true, description = "An agent's spending limits (operator only).",
            subcommands = {Policy.Show.class, Policy.Set.class})
    static final class Policy {
        @Command(name = "show", mixinStandardHelpOptions = true, description = "Prints the agent's limits, what it has spent and the kill switch.")
        static final class Show implements Callable<Integer> {
            @CommandLine.Mixin
            Connection connection;

            @Parameters(index = "0", paramLabel = "AGENT", description = "the agent's account id")
            String agent;

            @Override
            public Integer call() throws Exception {
                System.out.println(NodeClient.pretty(connection.client().get("/v1/forge/safety?agent="
                        + java.net.URLEncoder.encode(agent, java.nio.charset.StandardCharsets.UTF_8))));
                return 0;
            }
        }

        @Command(name = "set", mixinStandardHelpOptions = true,
                description = "Sets all four of the agent's limits, in CU (up to six decimals), and prints the result.")
        static final class Set implements Callable<Integer> {
            @CommandLine.Mixin
            Connection connection;

            @Parameters(index = "0", paramLabel = "AGENT", description = "the agent's account id")
            String agent;

            @Option(names = "--per-request", required = true, paramLabel = "CU", description = "the most one spend may cost")
            String perRequest;

            @Option(names = "--per-hour", required = true, paramLabel = "CU", description = "the most it may spend in any rolling hour")
            String perHour;

            @Option(names = "--lifetime", required = true, paramLabel = "CU", description = "the most it may ever spend")
            String lifetime;

            @Option(names = "--approval-above", required = true, paramLabel = "CU",
                    description = "spends above this wait for a human's approval")
            String approvalAbove;

            @Override
            public Integer call() throws Exception {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("agent", agent);
                body.put("max_per_request_cu", perRequest);
                body.put("max_per_hour_cu", perHour);
                body.put("max_lifetime_cu", lifetime);
                body.put("approval_threshold_cu", approvalAbove);
                return connection.post("/v1/forge/policy", body);
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

    @Command(name = "provide", mixinStandardHelpOptions = true,
            description = {"Sells this machine's compute to a node: registers this folder's own key, offers the --model, "
                    + "takes open orders for it, runs them with jlama here, signs and delivers (one status line per order on stderr).",
                    "The folder keeps the private key (provider.key, 0600; never sent), the log of settled attestations and "
                            + "the bodies, served at http://127.0.0.1:PORT/bodies/<sha256>. See docs/provider.md."})
    static final class Provide implements Callable<Integer> {
        @Option(names = "--node", paramLabel = "URL", description = "the node's address, e.g. http://127.0.0.1:3000")
        String node;

        @Option(names = "--token", paramLabel = "TOKEN", description = "the agent's API token (visible in ps: prefer --token-file)")
        String token;

        @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the agent's API token")
        Path tokenFile;

        @Option(names = "--model", paramLabel = "DIR", description = "the model folder to sell")
        Path model;

        @Option(names = "--folder", paramLabel = "DIR", description = "the provider's folder (default: ${DEFAULT-VALUE})",
                defaultValue = "${sys:user.home}/.forge/provider")
        Path folder;

        @Option(names = "--port", paramLabel = "N", description = "the bodies' port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0: any)",
                defaultValue = "3100")
        String port;

        @Option(names = "--price-per-1k", paramLabel = "CU", description = "the price per 1,000 tokens (default: ${DEFAULT-VALUE})",
                defaultValue = "1")
        String price;

        @Option(names = "--once", description = "serve one order, then exit (1 if its delivery was refused)")
        boolean once;

        @Override
        public Integer call() throws Exception {
            try {
                return ProvideCommand.run(ProvideCommand.settings(node, token, tokenFile, model, folder, port, price, once), System.err);
            } catch (ProviderException e) {
                throw new CliException(e.code().equals(ProvideCommand.BAD_FLAG) ? e.getMessage() : e.code() + ": " + e.getMessage());
            }
        }
    }

    @Command(name = "agent", mixinStandardHelpOptions = true,
            description = {"Runs one agent on a node, through MCP only: it registers its own key, works through --tasks tasks "
                    + "of different difficulty, orders each from the offer its planner chooses (signing the order itself), lends "
                    + "idle CU, repays its loans, waits out refusals, and writes every step to journal.jsonl in --folder; a "
                    + "status line on stderr.", "With --model it also sells that model from this process with the same key "
                    + "(provider.key, 0600, never sent), and what it earns pays for its orders. See docs/agents.md."})
    static final class AgentRun implements Callable<Integer> {
        @Option(names = "--node", paramLabel = "URL", description = "the node's address, e.g. http://127.0.0.1:3000")
        String node;

        @Option(names = "--token", paramLabel = "TOKEN", description = "the agent's API token (visible in ps: prefer --token-file)")
        String token;

        @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the agent's API token")
        Path tokenFile;

        @Option(names = "--planner", paramLabel = "NAME", description = "rules (default: the economic planner) or llm (a "
                + "language model served by the node's /v1, given its read-only MCP tools)", defaultValue = "rules")
        String planner;

        @Option(names = "--llm-model", paramLabel = "NAME", description = "the node's model the llm planner asks")
        String llmModel;

        @Option(names = "--model", paramLabel = "DIR", description = "the local model to sell and to order")
        Path model;

        @Option(names = "--folder", paramLabel = "DIR", description = "the agent's folder (default: ${DEFAULT-VALUE})",
                defaultValue = "${sys:user.home}/.forge/agent")
        Path folder;

        @Option(names = "--order-model", paramLabel = "DIR", description = "another model it may order (not sell), e.g. a "
                + "bigger tier it borrows to reach; repeatable")
        java.util.List<Path> orderModels = new java.util.ArrayList<>();

        @Option(names = "--tasks", paramLabel = "N", description = "how many tasks to work through (default: ${DEFAULT-VALUE})",
                defaultValue = "8")
        String tasks;

        @Option(names = "--price-per-1k", paramLabel = "CU", description = "the price it sells at (default: ${DEFAULT-VALUE})",
                defaultValue = "1")
        String price;

        @Option(names = "--max-spend", paramLabel = "CU", description = "the most this run may spend; it winds down at 80%% "
                + "(default: ${DEFAULT-VALUE})", defaultValue = "50")
        String maxSpend;

        @Override
        public Integer call() throws Exception {
            return AgentCommand.run(new AgentCommand.Flags(node, token, tokenFile, planner, llmModel, model, folder, tasks, price,
                    maxSpend, orderModels));
        }
    }

    @Command(name = "demo", mixinStandardHelpOptions = true,
            description = {"Forge's main demo: starts a node in a temporary folder with two model tiers (the trained stories260K and a "
                    + "bigger model Forge generates), creates four agents of different means through the operator's API, runs them "
                    + "for --rounds rounds (a progress line on stderr), and prints what the node's books say of each (earned, spent, "
                    + "borrowed, repaid, tiers used, verification rate, balance), the ledger's Merkle root, and where the SVG chart "
                    + "of balances and loans per round is. See docs/agents.md."})
    static final class Demo implements Callable<Integer> {
        @Option(names = "--rounds", paramLabel = "N", description = "rounds to run, 1 to 50 (default: ${DEFAULT-VALUE})",
                defaultValue = "4")
        String rounds;

        @Option(names = "--folder", paramLabel = "DIR", description = "an empty folder for everything (default: a new temporary one)")
        Path folder;

        @Option(names = "--chart", paramLabel = "FILE", description = "where to write the SVG chart (default: DIR/demo-chart.svg)")
        Path chart;

        @Option(names = "--trained", paramLabel = "DIR", description = "the trained model (default: the repository's models/stories260K)")
        Path trained;

        @Option(names = "--kill-at", paramLabel = "ROUND", description = "pull the kill switch in this round, mid-run, release it "
                + "once every agent recorded it (at least 2 s), and print how soon each stopped spending and resumed (default: no kill)")
        String killAt;

        @Option(names = "--grid", description = "run it over three nodes instead of one: a local three-server NATS cluster (the "
                + "nats-server on PATH, as ./forge grid up starts), each node joined through its own server, the large tier served "
                + "by one node only, so that agents on the others buy it across the grid; prints each node's books, grid root and "
                + "sums with its peers, and exits 1 if the nodes do not agree within 180 s")
        boolean grid;

        @Override
        public Integer call() throws Exception {
            try {
                return dev.forge.node.demo.DemoCommand.run(new dev.forge.node.demo.DemoCommand.Flags(rounds, folder, chart, trained, killAt,
                        grid), System.out, System.err);
            } catch (dev.forge.node.demo.DemoException e) {
                throw new CliException(e.getMessage());
            }
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
