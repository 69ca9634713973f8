package dev.forge.agent;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * How one agent runs.
 *
 * @param folder the agent's own folder (0700): its key, its journal
 * @param keyFile its Ed25519 seed, 0600 (in {@code folder} unless the caller shares it with a provider runtime)
 * @param models the models it may order, by name, with their hex SHA-256 digests (an order names both)
 * @param tasks its queue, in order
 * @param orderMillis how long an order it signs stays open
 * @param pollMillis how often it asks whether an order settled
 * @param firstWaitMillis the first pause after a refusal or while nothing can be done; it doubles up to {@code longestWaitMillis}
 * @param waits how many pauses in a row before the run stops
 */
public record AgentSettings(URI node, String token, Path folder, Path keyFile, Map<String, String> models, List<Task> tasks,
                            Planner planner, Guard.Limits limits, long orderMillis, long pollMillis, long firstWaitMillis,
                            long longestWaitMillis, int waits) {
    public AgentSettings {
        models = Map.copyOf(models);
        tasks = List.copyOf(tasks);
        for (String digest : models.values()) {
            if (!digest.matches("[0-9a-f]{64}")) throw new IllegalArgumentException("a model digest is 64 lowercase hex characters");
        }
        if (orderMillis < 1_000 || pollMillis < 1 || firstWaitMillis < 1 || longestWaitMillis < firstWaitMillis || waits < 1) {
            throw new IllegalArgumentException("agent timings out of range");
        }
    }
}
