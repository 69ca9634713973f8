package dev.forge.node.work;

import static dev.forge.node.work.WorkOrdersTest.ok;
import static dev.forge.node.work.WorkOrdersTest.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.Engine;
import dev.forge.economy.work.EvalInput;
import dev.forge.economy.work.EvalResult;
import dev.forge.economy.work.SignedAttestation;
import dev.forge.economy.work.Verification;
import dev.forge.economy.work.WorkKind;
import dev.forge.node.ForgeNode;
import dev.forge.node.NodeTestResource;
import dev.forge.node.provide.AttestationLog;
import dev.forge.node.provide.BodyServer;
import dev.forge.node.provide.BodyStore;
import dev.forge.node.provide.ChatRunner;
import dev.forge.node.work.WorkOrdersTest.Agent;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "A re-execution that differs fails the chain", on the shared test node, which serves the real
 * stories260K: a provider played by the test (its own key, its bodies and log served over real
 * HTTP as {@code forge provide} serves them) delivers a well-signed attestation over an output
 * that is consistent (every digest matches) but not what the model gives. The node's arrival
 * checks cannot tell and pay it; the node's re-execution on its own engine can. On the node's
 * kernel path the chain fails with {@code output_differs}, {@code verify} lists it and the rate
 * falls below a new provider's; on another kernel path the same mismatch is inconclusive and the
 * chain still verifies. The same for an {@code eval.v1} order, whose arrival checks also
 * recompute the score.
 */
@QuarkusTest
@QuarkusTestResource(NodeTestResource.class)
class ReexecutionTest {
    static final String MODEL = WorkOrdersTest.MODEL;
    static final long PRICE = WorkOrdersTest.PRICE;

    @Inject
    ForgeNode node;

    @TestHTTPResource("/")
    URI base;

    private final List<McpSyncClient> clients = new ArrayList<>();
    private final List<AutoCloseable> servers = new ArrayList<>();
    /** Each order's input body, as open_orders showed it to the provider. */
    private final Map<Long, byte[]> inputs = new java.util.HashMap<>();

    @AfterEach
    void close() throws Exception {
        clients.forEach(McpSyncClient::closeGracefully);
        for (AutoCloseable s : servers) s.close();
    }

    /** A provider with its key, its bodies and its log served at the bodies_url it registered. */
    record Serving(TestProvider provider, BodyStore bodies, AttestationLog log, Agent mcpAgent) {
        /** Stores the bodies, as a provider does before it delivers. */
        void store(byte[] input, byte[] output) {
            bodies.put(input);
            bodies.put(output);
        }

        /** After the node paid it: appended to the log (under a new signed head) and the chain's tip. */
        void settled(SignedAttestation attestation) {
            log.append(attestation);
            provider.advance(attestation);
        }
    }

    @Test
    void aChatARerunDoesNotReproduceFailsItsChainOnTheSameKernelPath() throws Exception {
        Agent buyer = agent("rx-buyer");
        Serving seller = serving(agent("rx-seller"));
        long id = chatOrder(buyer, seller);
        SignedAttestation forged = deliver(seller, id, "a story the model never told".getBytes(StandardCharsets.UTF_8),
                nodeEngine());
        Map<String, Object> paid = ok(buyer, "verify", Map.of("provider", seller.provider().account));

        Verification rerun = rerun(id);
        Check reexecution = check(rerun, "reexecution");
        assertEquals(Check.Verdict.FAIL, reexecution.verdict(), rerun.toString());
        assertEquals("output_differs", reexecution.code());

        Map<String, Object> rate = ok(buyer, "verify", Map.of("provider", seller.provider().account));
        assertEquals(1, ((Number) rate.get("checked")).intValue(), rate.toString());
        assertEquals(0, ((Number) rate.get("passed")).intValue());
        assertTrue(((Number) rate.get("rate_ppm")).longValue() < 500_000, "below the prior a new provider stands at: " + rate);
        if (((Number) paid.get("passed")).intValue() == 1) { // unless the arrival check drew re-execution itself (10%)
            assertTrue(((Number) rate.get("rate_ppm")).longValue() < ((Number) paid.get("rate_ppm")).longValue(),
                    "the rate drops from " + paid + " to " + rate);
        }
        assertTrue(((String) rate.get("text")).startsWith("0.0% of 1 chains verifiable"), rate.toString());
        @SuppressWarnings("unchecked")
        var failure = ((List<Map<String, Object>>) rate.get("failures")).getFirst();
        assertEquals(id, ((Number) failure.get("order_id")).longValue());
        assertEquals(forged.attestation().logIndex(), ((Number) failure.get("log_index")).longValue());
        assertEquals("reexecution", failure.get("check"));
        assertEquals("output_differs", failure.get("code"));
    }

    @Test
    void theSameMismatchOnAnotherKernelPathIsInconclusiveAndTheChainStillVerifies() throws Exception {
        Agent buyer = agent("rx-buyer-2");
        Serving seller = serving(agent("rx-seller-2"));
        long id = chatOrder(buyer, seller);
        Engine node = nodeEngine();
        var other = new Engine(node.engine(), node.engineVersion(), node.kernel().equals("native") ? "panama" : "native",
                node.workingType(), node.forgeVersion(), node.hardware());
        deliver(seller, id, "a story the model never told".getBytes(StandardCharsets.UTF_8), other);

        Verification rerun = rerun(id);
        Check reexecution = check(rerun, "reexecution");
        assertEquals(Check.Verdict.INCONCLUSIVE, reexecution.verdict(), rerun.toString());
        assertEquals("kernel_differs", reexecution.code());
        assertTrue(rerun.verified(), "nothing failed: " + rerun);

        Map<String, Object> rate = ok(buyer, "verify", Map.of("provider", seller.provider().account));
        assertEquals(1, ((Number) rate.get("passed")).intValue(), rate.toString());
        assertEquals(List.of(), rate.get("failures"));
        assertTrue(((Number) rate.get("rate_ppm")).longValue() > 500_000, rate.toString());
    }

    @Test
    void anEvalWhoseOutputsARerunDoesNotReproduceFailsItsChainAndAnInflatedScoreIsRefused() throws Exception {
        Agent buyer = agent("rx-eval-buyer");
        Serving seller = serving(agent("rx-eval-seller"));
        long id = evalOrder(buyer, seller);
        byte[] input = inputs.get(id);
        EvalInput eval = EvalInput.decode(input);
        assertEquals(List.of("Once upon a time", "The little dog"), eval.cases().stream().map(EvalInput.Case::prompt).toList());
        assertEquals(16, node.ledger().order(id).orElseThrow().order().replay().maxTokens(), "2 prompts of 8 tokens");
        assertEquals(WorkKind.EVAL, node.ledger().order(id).orElseThrow().order().kind());

        // Claims both cases pass although neither output contains its answer: the node recomputes the score.
        var inflated = new EvalResult(Sha256.hash(input), List.of(outcome("no", true, 8), outcome("dog", true, 8)), 2, 1_000_000);
        seller.store(input, inflated.encode());
        SignedAttestation signed = seller.provider().sign(seller.provider().attest(orderBytes(id), inflated.encode(), 9, 16, PRICE,
                nodeEngine()));
        assertEquals("eval_score_mismatch", refused(seller.mcpAgent(), "deliver", delivery(id, signed, inflated.encode())));
        assertEquals("taken", ok(buyer, "order_status", Map.of("order_id", id)).get("state"), "nothing was paid");

        // Consistent: digests, pass flags, counts and score are what these outputs give; the outputs are invented.
        var invented = EvalResult.of(Sha256.hash(input), List.of(
                EvalResult.Outcome.of(" there was a girl", eval.scoring(), "girl", 4),
                EvalResult.Outcome.of(" ran home", eval.scoring(), "dog", 3)));
        assertEquals(500_000, invented.scorePpm());
        deliver(seller, id, invented.encode(), nodeEngine(), 9, 7);

        Verification rerun = rerun(id);
        assertEquals(Check.Verdict.PASS, check(rerun, "eval.score").verdict(), "the score is the outputs': " + rerun);
        Check reexecution = check(rerun, "reexecution");
        assertEquals(Check.Verdict.FAIL, reexecution.verdict(), rerun.toString());
        assertEquals("output_differs", reexecution.code());
        Map<String, Object> rate = ok(buyer, "verify", Map.of("provider", seller.provider().account));
        assertEquals(0, ((Number) rate.get("passed")).intValue(), rate.toString());
        assertTrue(((Number) rate.get("rate_ppm")).longValue() < 500_000, rate.toString());
        var codes = ((List<?>) rate.get("failures")).stream().map(f -> ((Map<?, ?>) f).get("code")).toList();

        // The same invented eval stated as run on another kernel path proves nothing: its chain still verifies.
        long other = evalOrder(buyer, seller);
        Engine node = nodeEngine();
        deliver(seller, other, EvalResult.of(Sha256.hash(inputs.get(other)), invented.outcomes()).encode(), new Engine(node.engine(),
                node.engineVersion(), node.kernel().equals("native") ? "panama" : "native", node.workingType(), node.forgeVersion(),
                node.hardware()), 9, 7);
        Verification otherRerun = rerun(other);
        assertEquals("kernel_differs", check(otherRerun, "reexecution").code(), otherRerun.toString());
        assertTrue(otherRerun.verified(), otherRerun.toString());
        assertEquals(1, ((Number) ok(buyer, "verify", Map.of("provider", seller.provider().account)).get("passed")).intValue(),
                "the second chain passes, the first still fails");
        // Newest first: the chain as it fails now (also on arrival, when that check drew re-execution), the refusal before.
        assertEquals("output_differs", codes.getFirst(), codes.toString());
        assertEquals("eval_score_mismatch", codes.getLast(), codes.toString());
        assertEquals(java.util.Set.of("output_differs", "eval_score_mismatch"), java.util.Set.copyOf(codes));
    }

    private static EvalResult.Outcome outcome(String output, boolean passed, int tokens) {
        return new EvalResult.Outcome(output, Sha256.hash(output.getBytes(StandardCharsets.UTF_8)), passed, tokens);
    }

    /** How the node runs stories260K: a provider stating this is on the node's kernel path. */
    private Engine nodeEngine() {
        return ChatRunner.describe(node.engine().slot(MODEL).model());
    }

    private static Check check(Verification verification, String name) {
        return verification.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " check in " + verification));
    }

    private long chatOrder(Agent buyer, Serving seller) {
        Map<String, Object> order = new LinkedHashMap<>(WorkOrdersTest.chatOrder("1", "0", 600));
        order.remove("reward_cu");
        order.put("provider", seller.provider().account);
        return take(seller, WorkOrdersTest.orderId(ok(buyer, "submit_order", order)));
    }

    private long evalOrder(Agent buyer, Serving seller) {
        Map<String, Object> order = new LinkedHashMap<>();
        order.put("model", MODEL);
        order.put("provider", seller.provider().account);
        order.put("prompts", List.of(Map.of("prompt", "Once upon a time", "expected", "girl"),
                Map.of("prompt", "The little dog", "expected", "dog")));
        order.put("max_tokens_per_prompt", 8);
        order.put("max_cost_cu", "1");
        order.put("expires_in_seconds", 600);
        Map<String, Object> submitted = ok(buyer, "submit_eval", order);
        assertEquals("1.000000", submitted.get("held_cu"));
        return take(seller, WorkOrdersTest.orderId(submitted));
    }

    private long take(Serving seller, long id) {
        inputs.put(id, Base64.getDecoder().decode((String) WorkOrdersTest.listed(seller.mcpAgent(), id).get("input")));
        assertEquals("taken", ok(seller.mcpAgent(), "take_order", Map.of("order_id", id)).get("state"));
        return id;
    }

    private SignedAttestation deliver(Serving seller, long id, byte[] output, Engine engine) {
        return deliver(seller, id, output, engine, 5, 11);
    }

    /** Stores both bodies, delivers a well-signed attestation of {@code output}, and appends it once paid. */
    private SignedAttestation deliver(Serving seller, long id, byte[] output, Engine engine, int promptTokens, int completionTokens) {
        seller.store(inputs.get(id), output);
        SignedAttestation signed = seller.provider().sign(seller.provider().attest(orderBytes(id), output, promptTokens,
                completionTokens, PRICE, engine));
        Map<String, Object> delivered = ok(seller.mcpAgent(), "deliver", delivery(id, signed, output));
        assertEquals("settled", delivered.get("state"), "consistent: the arrival checks pass and pay it");
        seller.settled(signed);
        return signed;
    }

    private static Map<String, Object> delivery(long id, SignedAttestation attestation, byte[] output) {
        return Map.of("order_id", id, "attestation", TestProvider.base64(attestation.encode()), "output", TestProvider.base64(output));
    }

    private byte[] orderBytes(long id) {
        return node.ledger().order(id).orElseThrow().signed().encode();
    }

    /** Registers a fresh key with the bodies_url of a real body server, which serves its log too, and offers stories260K. */
    /**
     * The node's forced re-check of an order; a replay declined because the shared test node's
     * engine is busy (with another test's chat or a live round's replay) is asked again, a bounded
     * number of times.
     */
    private Verification rerun(long orderId) throws InterruptedException {
        Verification rerun = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            rerun = node.work().reexecuteNow(orderId).orElseThrow();
            boolean busy = rerun.checks().stream().anyMatch(c -> c.name().equals("reexecution")
                    && c.code().equals("reexecution_failed") && c.reason().contains("busy"));
            if (!busy) return rerun;
            Thread.sleep(100);
        }
        return rerun;
    }

    private Serving serving(Agent agent) throws Exception {
        var provider = new TestProvider();
        var folder = Files.createTempDirectory("forge-rx-provider");
        var bodies = new BodyStore(folder.resolve("bodies"));
        var server = BodyServer.start(bodies, 0);
        servers.add(server);
        Map<String, Object> key = ok(agent, "register_key", TestProvider.registration(provider.key, agent.id(),
                node.work().audience(), server.bodiesUrl().toString()));
        provider.account = (String) key.get("account");
        var log = AttestationLog.open(folder.resolve("log"), provider.account, provider.key, InstantSource.system());
        server.serveLog(log);
        ok(agent, "offer", Map.of("model", MODEL, "model_digest", WorkOrdersTest.modelDigest(), "tier", "tiny",
                "price_per_1k_cu", "2", "kinds", List.of("inference.chat.v1", "eval.v1")));
        return new Serving(provider, bodies, log, agent);
    }

    private Agent agent(String id) {
        String token = node.createAgent(id);
        var transport = HttpClientStreamableHttpTransport.builder(base.toString()).endpoint("/mcp")
                .jsonMapper(new JacksonMcpJsonMapper(new ObjectMapper()))
                .customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1))
                .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        client.initialize();
        clients.add(client);
        return new Agent(id, token, client);
    }
}
