package dev.forge.examples;

import dev.forge.agent.Agent;
import dev.forge.agent.AgentSettings;
import dev.forge.agent.Earnings;
import dev.forge.agent.EconomicPlanner;
import dev.forge.agent.Guard;
import dev.forge.agent.Journal;
import dev.forge.agent.LlmPlanner;
import dev.forge.agent.Planner;
import dev.forge.agent.Tasks;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.Map;

/**
 * An autonomous agent loop with agent-runtime: an agent that reaches the node through MCP only,
 * holds its own key in FOLDER, works through a queue of tasks, lets its planner decide each
 * step (the economic planner, or with LLM_MODEL a language model served by the node's /v1
 * that looks through the node's read-only tools), and is held to its ceilings by its guard
 * whatever the planner says. Every step goes to FOLDER/journal.jsonl, printed at the end.
 *
 * <pre>
 * FORGE_TOKEN=forge_ag_... AgentLoop http://127.0.0.1:3000 FOLDER TASKS [LLM_MODEL]
 * </pre>
 */
public final class AgentLoop {
    public static void main(String[] args) throws Exception {
        String token = System.getenv("FORGE_TOKEN");
        if (args.length < 3 || args.length > 4 || token == null || token.isBlank()) {
            System.err.println("usage: FORGE_TOKEN=forge_ag_... AgentLoop NODE_URL FOLDER TASKS [LLM_MODEL]");
            System.exit(2);
        }
        URI node = URI.create(args[0]);
        Path folder = Files.createDirectories(Path.of(args[1]));
        Planner planner = args.length == 4 ? LlmPlanner.onNode(node, token, args[3]) : new EconomicPlanner();
        var limits = new Guard.Limits(20_000_000, 16_000_000, 20_000_000, 5, 50); // spend at most 20 CU, wind down at 16
        var settings = new AgentSettings(node, token, folder, folder.resolve("agent.key"), Map.of(),
                Tasks.mixed(Integer.parseInt(args[2])), planner, limits, 120_000, 500, 250, 2_000, 5);
        try (Agent agent = Agent.open(settings, System.err, InstantSource.system())) {
            Agent.Result result = agent.run(Earnings.NONE);
            Files.readAllLines(folder.resolve(Journal.FILE)).forEach(System.out::println);
            System.out.println("result: " + result);
        } finally {
            if (planner instanceof LlmPlanner llm) llm.close();
        }
    }
}
