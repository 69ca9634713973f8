package dev.forge.grid;

import dev.forge.inference.Completion;
import dev.forge.inference.GenerationRequest;
import dev.forge.inference.InferenceEngine;
import io.nats.client.Connection;
import io.nats.client.Message;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * A local chat of one model against the same chat with a NATS request/reply round trip per
 * streamed piece (the piece itself as the payload, answered by {@link EchoResponder} in another
 * process through a real nats-server): the transport's cost if every piece crossed to another
 * node and was acknowledged before the next. Both paths alternate in one run, after warm-up.
 * The whole cross-node chat, node to node, is {@link RemoteChatOverhead}.
 */
final class ChatOverhead {
    private static final String MODEL = "model";
    private static final String PROMPT = "Once upon a time";
    private static final String SUBJECT = "forge.bench.echo";
    private static final int WARM_UP = 5;
    private static final Duration ROUND_TRIP_BOUND = Duration.ofSeconds(5);

    private ChatOverhead() {}

    static void run(String modelFolder, int chats, int tokens) throws Exception {
        Path folder = GridBench.temporaryFolder("forge-bench-chat");
        Process responder = null;
        try (LocalCluster cluster = LocalCluster.start(folder.resolve("nats"), LocalCluster.freePorts(1), Optional.empty());
             Connection connection = GridConnection.connect(cluster.urls(), "bench chat");
             InferenceEngine engine = new InferenceEngine(Files.createDirectories(folder.resolve("engine")), 4)) {
            responder = startResponder(cluster.urls().get(0));
            engine.load(MODEL, Path.of(modelFolder));
            List<CrossNodeChat> paths = List.of(local(engine), natsRoundTripPerPiece(engine, connection));
            long[][] millis = new long[paths.size()][chats];
            int[] pieces = new int[paths.size()];
            for (int i = 0; i < WARM_UP; i++) for (CrossNodeChat path : paths) path.chat(PROMPT, tokens);
            for (int i = 0; i < chats; i++) {
                for (int p = 0; p < paths.size(); p++) {
                    long start = System.nanoTime();
                    pieces[p] = paths.get(p).chat(PROMPT, tokens).pieces();
                    millis[p][i] = (System.nanoTime() - start) / 1_000;
                }
            }
            print(paths, millis, pieces, chats, tokens);
        } finally {
            if (responder != null) responder.destroyForcibly().waitFor();
            GridBench.deleteQuietly(folder);
        }
    }

    private static CrossNodeChat local(InferenceEngine engine) {
        return new CrossNodeChat() {
            public String name() { return "local chat"; }
            public Chat chat(String prompt, int tokens) {
                int[] pieces = {0};
                generate(engine, prompt, tokens, piece -> pieces[0]++);
                return new Chat(pieces[0], tokens, -1);
            }
        };
    }

    private static CrossNodeChat natsRoundTripPerPiece(InferenceEngine engine, Connection connection) {
        return new CrossNodeChat() {
            public String name() { return "local chat + NATS round trip per piece"; }
            public Chat chat(String prompt, int tokens) {
                int[] pieces = {0};
                generate(engine, prompt, tokens, piece -> {
                    roundTrip(connection, piece.getBytes(StandardCharsets.UTF_8));
                    pieces[0]++;
                });
                return new Chat(pieces[0], tokens, -1);
            }
        };
    }

    private static void generate(InferenceEngine engine, String prompt, int tokens, java.util.function.Consumer<String> onPiece) {
        Completion completion = engine.generate(MODEL, GenerationRequest.greedy(prompt, tokens), onPiece, () -> false);
        if (completion.completionTokens() != tokens) throw new IllegalStateException("made " + completion.completionTokens());
    }

    private static void roundTrip(Connection connection, byte[] piece) {
        try {
            Message reply = connection.request(SUBJECT, piece, ROUND_TRIP_BOUND);
            if (reply == null || !Arrays.equals(reply.getData(), piece)) throw new IllegalStateException("no echo of a piece");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Process startResponder(String url) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                EchoResponder.class.getName(), url, SUBJECT).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = reader.readLine();
        if (!"ready".equals(line)) throw new IllegalStateException("the echo responder did not start: " + line);
        return process;
    }

    private static void print(List<CrossNodeChat> paths, long[][] micros, int[] pieces, int chats, int tokens) {
        System.out.printf("%d chats of %d tokens each way, alternating, after %d warm-up each%n", chats, tokens, WARM_UP);
        double base = median(micros[0]);
        for (int p = 0; p < paths.size(); p++) {
            double median = median(micros[p]);
            System.out.printf("| %s | %d pieces | median %.1f ms | %.0f tokens/s | %.2f x local |%n", paths.get(p).name(),
                    pieces[p], median / 1000, tokens / (median / 1e6), median / base);
        }
        if (paths.size() > 1) {
            System.out.printf("round trip per piece, from the medians: %.0f µs%n", (median(micros[1]) - base) / pieces[1]);
        }
    }

    private static double median(long[] values) {
        return GridBench.median(values);
    }
}
