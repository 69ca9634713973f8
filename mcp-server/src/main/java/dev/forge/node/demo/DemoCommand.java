package dev.forge.node.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.forge.agent.EconomicPlanner;
import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.work.ModelDigest;
import dev.forge.inference.ModelFolder;
import dev.forge.inference.Tier;
import dev.forge.inference.TinyLlama;
import dev.forge.node.cli.NodeClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code forge demo}: a node, two model tiers, four agents of different means, N rounds, and
 * what the node's books say at the end (see the package's description and docs/agents.md).
 */
public final class DemoCommand {
    /**
     * What the flags say; {@code folder}, {@code chart}, {@code trained} and {@code killAt} may be null (their defaults);
     * {@code grid}: three nodes on a local NATS cluster instead of one ({@link GridDemo}).
     */
    public record Flags(String rounds, Path folder, Path chart, Path trained, String killAt, boolean grid) {
        public Flags(String rounds, Path folder, Path chart, Path trained, String killAt) {
            this(rounds, folder, chart, trained, killAt, false);
        }
    }

    public static final String LARGE_MODEL = "tinyllama-large";
    /** Bounds that put the trained stories260K in the tiny tier and the generated model in the large one. */
    static final Tier.Bounds TIERS = new Tier.Bounds(500_000, 700_000, 1_000_000);
    static final long ROUND_MILLIS = 90_000;
    private static final int LOOKS_WHILE_SHORT = 6;
    final PrintStream out;
    final PrintStream err;

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static int run(Flags flags, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        int rounds = rounds(flags.rounds());
        if (flags.grid()) {
            if (flags.killAt() != null) throw new DemoException("--kill-at is for the one-node demo, not --grid");
            return new GridDemo(new DemoCommand(out, err)).run(rounds, folder(flags.folder()), flags.chart(), trained(flags.trained()));
        }
        int killAt = killAt(flags.killAt(), rounds);
        return new DemoCommand(out, err).run(rounds, killAt, folder(flags.folder()), flags.chart(), trained(flags.trained()));
    }

    private int run(int rounds, int killAt, Path folder, Path chartFile, Path trained) throws IOException, InterruptedException {
        long started = System.currentTimeMillis();
        Path large = TinyLlama.write(TinyLlama.LARGE, folder.resolve("models").resolve(LARGE_MODEL));
        describeTiers("forge demo: a node and four agents in " + folder, trained, large);
        Path chart = chartFile != null ? chartFile.toAbsolutePath() : folder.resolve("demo-chart.svg");
        err.println("forge demo: starting a node in " + folder.resolve("node") + " (log: " + folder.resolve("node.log") + ")");
        try (DemoNode node = DemoNode.start(folder.resolve("node"), folder.resolve("node.log"), List.of(trained, large))) {
            var api = new NodeClient(node.address(), node.operatorToken());
            List<Role> cast = cast(trained, large);
            Map<String, String> models = Map.of(trained.getFileName().toString(), digest(trained), LARGE_MODEL, digest(large));
            var gate = new RoundGate();
            List<DemoAgent> parties = new ArrayList<>();
            var history = new Chart();
            long from = 0;
            KillDrill.Pulled pulled = null;
            try {
                for (Role role : cast) parties.add(enter(api, node, role, folder, models, gate, rounds));
                for (DemoAgent party : parties) out.println("  " + party.role().name() + " (" + party.keyAccount() + "): "
                        + party.role().means() + "; moved to its key account: " + party.seeded());
                from = System.currentTimeMillis(); // the books count the rounds, not the scene set before them
                history.add(books(api, parties, from));
                for (DemoAgent party : parties) party.run(gate);
                Set<String> names = new LinkedHashSet<>(cast.stream().map(Role::name).toList());
                for (int round = 1; round <= rounds; round++) {
                    gate.open(round);
                    if (round == killAt) pulled = KillDrill.pull(api, gate, round, journals(cast, folder));
                    boolean ended = gate.awaitEnd(round, names, ROUND_MILLIS);
                    List<Books> books = books(api, parties, from);
                    history.add(books);
                    progress(round, rounds, started, books, ended);
                }
            } finally {
                for (DemoAgent party : parties.reversed()) party.close();
            }
            if (pulled != null) drill(api, pulled, parties, folder);
            List<Books> end = books(api, parties, from);
            JsonNode network = api.get("/v1/forge/network");
            table(end);
            String root = network.path("merkle_root").asText();
            out.println("merkle root: " + root + " over " + network.path("trade_count").asLong() + " trades and settled work");
            history.write(chart, "forge demo: " + rounds + " rounds, balances and loans per agent");
            out.println("chart: " + chart);
            out.println("journals, status logs and the ledger: " + folder + " (each agent's journal.jsonl is in its folder)");
            out.println("done in " + (System.currentTimeMillis() - started) / 1000 + " s");
            return 0;
        }
    }

    /**
     * The four parties: their means are the point of the demo. The large tier's price is the
     * provider's floor, above the market's price for the tier, so that it holds still: a large
     * task's worst case is then about 6.2 CU, just above what the apprentice has.
     */
    static List<Role> cast(Path trained, Path large) {
        long cu = 1_000_000;
        var alternate = List.of(ModelTier.LARGE, ModelTier.TINY);
        return List.of(
                new Role("provider", "pure provider: sells " + LARGE_MODEL + " (large tier) at 80 CU per 1,000 tokens, orders nothing",
                        0, 50 * cu, 500 * cu, large, 80 * cu, 0, List.of(ModelTier.TINY), false),
                new Role("apprentice", "starts on the small tier: sells stories260K at 10 CU/1k; 5.8 CU to order with, enough for "
                        + "the tiny tier and just short of a large task's worst case; every second task deserves the large tier",
                        5_800_000, 50 * cu, 500 * cu, trained, 10 * cu, 30 * cu, List.of(ModelTier.TINY, ModelTier.LARGE), true),
                new Role("patron", "rich: 80 CU to order with; sells stories260K at 12 CU/1k", 80 * cu, 50 * cu, 500 * cu, trained,
                        12 * cu, 100 * cu, alternate, false),
                new Role("frugal", "tight budget: the node lets it spend 1 CU a request and 3 CU in all; 10 CU to order with; "
                        + "sells nothing", 10 * cu, cu, 3 * cu, null, 0, 10 * cu, alternate, false));
    }

    /** Creates the role's account and policy through the operator's API, then starts it with its own token. */
    DemoAgent enter(NodeClient api, DemoNode node, Role role, Path folder, Map<String, String> models, RoundGate gate,
                            int rounds) throws IOException, InterruptedException {
        String token = api.post("/v1/forge/accounts", Map.of("id", role.name())).path("token").asText();
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("agent", role.name());
        policy.put("max_per_request_cu", Cu.format(role.perRequest()));
        policy.put("max_per_hour_cu", Cu.format(role.lifetime()));
        policy.put("max_lifetime_cu", Cu.format(role.lifetime()));
        policy.put("approval_threshold_cu", Cu.format(role.lifetime())); // no spend waits for a human in the demo
        api.post("/v1/forge/policy", policy);
        String history = role.history() ? CreditHistory.make(api, node.address(), role.name(), token, models.keySet().stream()
                .filter(m -> !m.equals(LARGE_MODEL)).findFirst().orElseThrow()) : "";
        Path own = Files.createDirectories(folder.resolve("agents").resolve(role.name()));
        err.println("forge demo: " + role.name() + " joins (folder " + own + ")");
        if (!history.isEmpty()) out.println("  " + role.name() + "'s history: " + history);
        return DemoAgent.start(role, node.address(), token, own, models, TIERS,
                gate.pace(role.name(), new EconomicPlanner(), LOOKS_WHILE_SHORT), rounds);
    }

    /** The journal of each agent that orders, by name. */
    private static Map<String, Path> journals(List<Role> cast, Path folder) {
        Map<String, Path> journals = new LinkedHashMap<>();
        for (Role role : cast) {
            if (role.orders()) journals.put(role.name(), journal(folder, role.name()));
        }
        return journals;
    }

    static Path journal(Path folder, String agent) {
        return folder.resolve("agents").resolve(agent).resolve("journal.jsonl");
    }

    /** The kill switch's figures, per agent that orders, from the node's statements and the agents' journals. */
    private void drill(NodeClient api, KillDrill.Pulled pulled, List<DemoAgent> parties, Path folder)
            throws IOException, InterruptedException {
        List<KillDrill.Measured> measured = new ArrayList<>();
        for (DemoAgent p : parties) {
            if (!p.role().orders()) continue;
            measured.add(KillDrill.measure(api, p.role().name(), p.keyAccount(), journal(folder, p.role().name()), pulled));
        }
        out.println();
        KillDrill.report(pulled, measured).forEach(out::println);
    }

    static List<Books> books(NodeClient api, List<DemoAgent> parties, long from) throws IOException, InterruptedException {
        Map<String, String> tiers = Books.tiers(api);
        JsonNode loans = api.get("/v1/forge/loans");
        List<Books> books = new ArrayList<>();
        for (DemoAgent p : parties) books.add(Books.read(api, p.role().name(), p.keyAccount(), tiers, loans, from));
        return books;
    }

    /** Checks that the two models fall in two tiers, then prints {@code first} and what the tiers are. */
    void describeTiers(String first, Path trained, Path large) {
        long small = ModelFolder.inspect(trained).parameters();
        long big = ModelFolder.inspect(large).parameters();
        if (TIERS.tierOf(small) != Tier.TINY || TIERS.tierOf(big) != Tier.LARGE) {
            throw new DemoException("the models do not fall in two tiers: " + small + " and " + big + " parameters");
        }
        out.println(first);
        out.println("tiers: tiny = " + trained.getFileName() + ", trained (TinyStories, " + millions(small) + "M parameters, "
                + "shipped in models/); large = " + LARGE_MODEL + ", generated by Forge (TinyLlama.LARGE, " + millions(big)
                + "M parameters: every layer runs, its answers are fixed by construction, not learned)");
        out.println("tier bounds for this demo: tiny below " + TIERS.small() + " parameters, large above " + TIERS.large()
                + " (the default bounds would put both in the tiny tier)");
    }

    void progress(int round, int rounds, long started, List<Books> books, boolean ended) {
        var line = new StringBuilder("forge demo: round " + round + "/" + rounds + " (" + (System.currentTimeMillis() - started) / 1000
                + " s)");
        if (!ended) line.append(" [some agents had not finished it]");
        for (Books b : books) {
            line.append(" | ").append(b.agent()).append(' ').append(Cu.format(b.balance()));
            if (b.owed() > 0) line.append(" owes ").append(Cu.format(b.owed()));
        }
        err.println(line);
    }

    private static final String ROW = "%-11s %12s %12s %12s %12s %12s %-11s %-14s %13s";
    static final String HEADER = String.format(Locale.ROOT, ROW, "AGENT", "EARNED_CU", "SPENT_CU", "BORROWED_CU", "REPAID_CU",
            "LENT_CU", "TIERS_USED", "VERIFIED", "BALANCE_CU");

    void table(List<Books> books) {
        out.println();
        out.println(HEADER);
        for (Books b : books) {
            out.println(String.format(Locale.ROOT, ROW, b.agent(), Cu.format(b.earned()), Cu.format(b.spent()), Cu.format(b.borrowed()),
                    Cu.format(b.repaid()), Cu.format(b.lent()), b.tiers(), b.verified(), Cu.format(b.balance())));
        }
        out.println("(every number is the node's: the signed statements of each agent's two accounts over the rounds, its loans, "
                + "the offers and verify. An agent orders from and is paid on its key account, which holds its means; its own account "
                + "keeps the rest of the node's 1,000 CU free tier. BALANCE is both accounts now, without what it lent to the pool. "
                + "VERIFIED is the node's rate, value-weighted with the prior it gives a new provider, and passed/checked chains)");
    }

    private static String millions(long parameters) {
        return java.math.BigDecimal.valueOf(parameters, 6).setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    static String digest(Path model) {
        return HexFormat.of().formatHex(ModelDigest.of(model));
    }

    private static int rounds(String text) {
        if (text != null && text.matches("[0-9]{1,2}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 50) {
            return Integer.parseInt(text);
        }
        throw new DemoException("--rounds must be 1 to 50, not '" + text + "'");
    }

    /** The round to pull the kill switch in, 1 to {@code rounds}; 0 without the flag. */
    private static int killAt(String text, int rounds) {
        if (text == null) return 0;
        if (text.matches("[0-9]{1,2}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= rounds) return Integer.parseInt(text);
        throw new DemoException("--kill-at must be a round from 1 to --rounds (" + rounds + "), not '" + text + "'");
    }

    private static Path folder(Path given) throws IOException {
        if (given == null) return Files.createTempDirectory("forge-demo-");
        Path folder = given.toAbsolutePath();
        if (Files.exists(folder)) {
            try (var entries = Files.list(folder)) {
                if (entries.findAny().isPresent()) throw new DemoException("--folder " + folder + " is not empty: the demo starts from nothing");
            }
        }
        return Files.createDirectories(folder);
    }

    /** The trained model: --trained, else models/stories260K of the repository this CLI was built in. */
    private static Path trained(Path given) {
        Path model = given != null ? given.toAbsolutePath()
                : DemoNode.nodeJar().getParent().getParent().getParent().getParent().resolve("models").resolve("stories260K");
        if (!Files.isRegularFile(model.resolve("config.json"))) throw new DemoException("no model at " + model + " (give --trained DIR)");
        return model;
    }
}
