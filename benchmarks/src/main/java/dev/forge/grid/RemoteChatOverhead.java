package dev.forge.grid;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The whole cross-node chat against a local chat of the same model, in one run: one nats-server
 * and two node processes from the packaged jar; B serves {@value #MODEL} (a copy of the model
 * folder), A serves another copy under another name. <b>local</b>: an agent on B chats
 * {@value #MODEL} on B. <b>cross-node</b>: an agent on A chats {@value #MODEL}, which A buys from
 * B's live offer (every answer must name B in {@code served_by}). Both over {@code /v1/chat/completions},
 * plain and streamed, the four paths alternating chat by chat after warm-ups.
 */
final class RemoteChatOverhead {
    private static final String MODEL = "remote260K";
    private static final String OTHER = "home260K";
    private static final String PROMPT = "Once upon a time";
    private static final int WARM_UP = 5;
    /** Agents per path, taking turns: each spends at most once in four rounds, far below its velocity limit. */
    private static final int AGENTS = 4;
    private static final Duration OFFER_BOUND = Duration.ofSeconds(300);

    private RemoteChatOverhead() {}

    static void run(String modelFolder, int chats, int tokens) throws Exception {
        String loadAtStart = loadAverage();
        Path jar = Path.of(System.getProperty("forge.node.jar", "mcp-server/target/quarkus-app/quarkus-run.jar"));
        Path folder = GridBench.temporaryFolder("forge-bench-remote-chat");
        try (LocalCluster cluster = LocalCluster.start(folder.resolve("nats"), LocalCluster.freePorts(1), Optional.empty())) {
            String grid = cluster.urls().getFirst();
            Path models = folder.resolve("models");
            BenchNode b = null;
            BenchNode a = null;
            try { // the nodes stop before their nats-server does
                b = BenchNode.start(jar, folder.resolve("node-b"), BenchNode.modelNamed(Path.of(modelFolder), models, MODEL), grid);
                a = BenchNode.start(jar, folder.resolve("node-a"), BenchNode.modelNamed(Path.of(modelFolder), models, OTHER), grid);
                List<V1Chat> paths = paths(a, b);
                Timings timings = measure(paths, chats, tokens);
                sameText(paths);
                print(paths, timings, chats, tokens, loadAtStart);
            } catch (Exception e) {
                for (BenchNode node : new BenchNode[] {a, b}) if (node != null) System.err.println(node.data + ":\n" + node.stderrTail());
                prices(a, b);
                throw e;
            } finally {
                for (BenchNode node : new BenchNode[] {a, b}) if (node != null) node.close();
            }
        } finally {
            GridBench.deleteQuietly(folder);
        }
    }

    /** Once both nodes joined and A sees B's offer: the four paths, each with its own agents. */
    private static List<V1Chat> paths(BenchNode a, BenchNode b) throws Exception {
        String idB = b.awaitJoined();
        String idA = a.awaitJoined();
        System.err.println("remote-chat: A " + idA + " and B " + idB + " joined");
        List<String> remote = agents(a, "remote");
        awaitOffer(a, remote.getFirst(), idB);
        return List.of(
                new V1Chat("local (agent on B, model on B)", b, agents(b, "local"), MODEL, null, false),
                new V1Chat("cross-node (agent on A, bought from B)", a, remote, MODEL, idB, false),
                new V1Chat("local, streamed", b, agents(b, "local-streamed"), MODEL, null, true),
                new V1Chat("cross-node, streamed", a, agents(a, "remote-streamed"), MODEL, idB, true));
    }

    private static List<String> agents(BenchNode node, String prefix) throws Exception {
        List<String> tokens = new java.util.ArrayList<>();
        for (int i = 0; i < AGENTS; i++) tokens.add(node.createAgent(prefix + "-" + i));
        return tokens;
    }

    /** Per path and chat: microseconds per chat and to the first piece (-1: not streamed); the last chat's tokens and pieces. */
    record Timings(long[][] chat, long[][] firstPiece, int[] tokens, int[] pieces) {}

    private static Timings measure(List<V1Chat> paths, int chats, int tokens) {
        for (int i = 0; i < WARM_UP; i++) for (V1Chat path : paths) path.chat(PROMPT, tokens);
        var t = new Timings(new long[paths.size()][chats], new long[paths.size()][chats], new int[paths.size()],
                new int[paths.size()]);
        for (int i = 0; i < chats; i++) {
            for (int p = 0; p < paths.size(); p++) {
                long start = System.nanoTime();
                CrossNodeChat.Chat chat = paths.get(p).chat(PROMPT, tokens);
                t.chat[p][i] = (System.nanoTime() - start) / 1_000;
                t.firstPiece[p][i] = chat.firstPieceNanos() < 0 ? -1 : chat.firstPieceNanos() / 1_000;
                t.tokens[p] = chat.tokens();
                t.pieces[p] = chat.pieces();
            }
        }
        return t;
    }

    /** Greedy, one model: the local and the cross-node chat must make the same text. */
    private static void sameText(List<V1Chat> paths) {
        for (V1Chat path : paths) {
            if (!path.text().equals(paths.getFirst().text())) {
                throw new IllegalStateException(path.name() + " made other text than " + paths.getFirst().name() + ": " + path.text());
            }
        }
    }

    /** On a failure, what A's view of B's offer and B's own pricing said then (a refusal may be {@code price_too_high}). */
    private static void prices(BenchNode a, BenchNode b) {
        try {
            if (a != null) System.err.println("A's offers of " + MODEL + ": " + a.get("/v1/forge/providers?model=" + MODEL, a.operatorToken()).path("remote"));
            if (b != null) System.err.println("B's pricing: " + b.get("/v1/forge/pricing", b.operatorToken()));
        } catch (Exception e) {
            System.err.println("no prices: " + e.getMessage());
        }
    }

    /** Waits until the agent on A sees B's live offer of the model. */
    private static void awaitOffer(BenchNode a, String token, String seller) throws Exception {
        long deadline = System.nanoTime() + OFFER_BOUND.toNanos();
        JsonNode remote = null;
        while (System.nanoTime() < deadline) {
            remote = a.get("/v1/forge/providers?model=" + MODEL, token).path("remote");
            for (JsonNode offer : remote) if (offer.path("node").asText().equals(seller)) return;
            Thread.sleep(500);
        }
        throw new IllegalStateException("A saw no offer of " + MODEL + " by " + seller + " within " + OFFER_BOUND + ": " + remote);
    }

    private static void print(List<V1Chat> paths, Timings t, int chats, int tokens, String loadAtStart) throws Exception {
        System.out.printf("%d chats each way of at most %d tokens (\"%s\", greedy, /v1/chat/completions), four paths alternating, after %d warm-up each%n",
                chats, tokens, PROMPT, WARM_UP);
        System.out.println("| path | tokens | pieces | median per chat | per token | tokens/s | vs local | overhead per chat (medians) | overhead per chat (median of pairs) | first piece |");
        for (int p = 0; p < paths.size(); p++) {
            int local = p - p % 2; // each cross-node path is compared with the local path of the same kind before it
            double median = GridBench.median(t.chat[p]);
            double base = GridBench.median(t.chat[local]);
            System.out.printf("| %s | %d | %d | %.1f ms | %.2f ms | %.0f | %.2f x | %+.1f ms | %+.1f ms | %s |%n", paths.get(p).name(), t.tokens[p], t.pieces[p],
                    median / 1000, median / 1000 / t.tokens[p], t.tokens[p] / (median / 1e6), median / base, (median - base) / 1000,
                    GridBench.median(differences(t.chat[p], t.chat[local])) / 1000, firstPiece(t.firstPiece[p]));
        }
        for (int p = 0; p < paths.size(); p++) {
            System.out.printf("%s, each chat in order, ms: %s%n", paths.get(p).name(), milliseconds(t.chat[p]));
            if (t.firstPiece[p][0] >= 0) System.out.printf("%s, first piece, ms: %s%n", paths.get(p).name(), milliseconds(t.firstPiece[p]));
        }
        System.out.printf("load average at start: %s; at end: %s%n", loadAtStart, loadAverage());
    }

    private static String firstPiece(long[] micros) {
        return micros[0] < 0 ? "-" : String.format("%.1f ms", GridBench.median(micros) / 1000);
    }

    private static String milliseconds(long[] micros) {
        return java.util.Arrays.stream(micros).mapToObj(m -> Long.toString(Math.round(m / 1000.0)))
                .collect(java.util.stream.Collectors.joining(" "));
    }

    private static long[] differences(long[] path, long[] local) {
        long[] out = new long[path.length];
        for (int i = 0; i < path.length; i++) out[i] = path[i] - local[i];
        return out;
    }

    private static String loadAverage() throws java.io.IOException {
        return Files.readString(Path.of("/proc/loadavg")).strip();
    }
}
