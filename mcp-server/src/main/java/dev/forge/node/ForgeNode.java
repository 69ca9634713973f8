package dev.forge.node;

import dev.forge.economy.lending.Lending;
import dev.forge.economy.lending.LendingConfig;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.ledger.LedgerStorageException;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.MarketConfig;
import dev.forge.economy.market.ModelTier;
import dev.forge.economy.market.Offer;
import dev.forge.economy.statement.Statements;
import dev.forge.inference.Completion;
import dev.forge.node.app.AccountService;
import dev.forge.node.app.LendingService;
import dev.forge.node.app.GridViews;
import dev.forge.node.app.MarketService;
import dev.forge.node.app.OperatorService;
import dev.forge.grid.NodeIdentity;
import dev.forge.node.grid.NodeGrid;
import dev.forge.node.app.SafetyService;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.inference.DownloadProgress;
import dev.forge.economy.work.ModelDigest;
import dev.forge.inference.InferenceEngine;
import dev.forge.inference.InferenceGuard;
import dev.forge.inference.LocalModel;
import dev.forge.inference.ModelCatalog;
import dev.forge.inference.ModelSource;
import dev.forge.inference.ModelStore;
import dev.forge.economy.work.ChainBook;
import dev.forge.node.work.NodeReexecution;
import dev.forge.node.work.WorkService;
import dev.forge.policies.Actor;
import dev.forge.policies.PipelineConfig;
import dev.forge.policies.SpendPipeline;
import java.nio.file.Path;
import java.time.InstantSource;

/**
 * One node: the ledger, the safety pipeline, the market and the pool over it, the models it
 * serves, and who may act. It sells its models as the provider account {@value #PROVIDER},
 * signing deliveries with its own key. Plain Java: Quarkus only hosts it.
 */
public final class ForgeNode implements AutoCloseable {
    public static final String PROVIDER = "node";
    public static final String ESCROW = "escrow";

    private final NodeSettings settings;
    private final NodeMetrics metrics;
    private final Identities identities;
    private final Ledger ledger;
    private final SpendPipeline pipeline;
    private final Market market;
    private final Lending lending;
    private final InferenceEngine engine;
    private final Statements statements;
    private final WorkService work;
    private final ChainBook chains = new ChainBook();
    private final SpendGate gate;
    private final AccountService accounts;
    private final MarketService marketService;
    private final LendingService lendingService;
    private final SafetyService safety;
    private final OperatorService operators;
    private final ChatService chats;
    private final ForgeMcp tools;
    private final NodeGrid grid; // null for a node alone

    private ForgeNode(NodeSettings settings, InstantSource clock, NodeMetrics metrics) {
        this.settings = settings;
        this.metrics = metrics;
        Path data = settings.data();
        DataFolder.checkBeforeOpen(data);
        DataFolder.createPrivateOrRefuse(data);
        this.identities = Identities.open(data);
        this.ledger = openLedger(data, clock);
        this.pipeline = openPipeline(data, ledger, clock);
        // The market routes by the rates the live checks keep (docs/verification.md).
        this.market = new Market(ledger, MarketConfig.DEFAULT, clock, chains::rate);
        this.gate = new SpendGate(pipeline);
        this.work = openWork(data, clock); // before the seal, which makes its files the owner's only
        pipeline.restoreOwnedSpending(work::ownerOf); // self-signed orders count against their agent's budget after a restart
        seal(data);
        this.lending = new Lending(ledger, LendingConfig.DEFAULT, clock);
        this.engine = new InferenceEngine(data.resolve("work"), settings.queue(), settings.tiers(),
                (model, generation) -> pipeline.breakers().call(model, generation, Completion.class), ModelDigest::of);
        this.statements = new Statements(ledger, identities.nodeKey());
        // The composition root: every service is built once here and handed exactly what it uses.
        this.accounts = new AccountService(ledger, work, pipeline::killState);
        this.grid = openGrid(data);
        this.marketService = new MarketService(ledger, market, engine, grid == null ? GridViews.ALONE : grid);
        this.lendingService = new LendingService(ledger, lending, pipeline, gate);
        this.safety = new SafetyService(pipeline, identities, work::voidOpenOrders);
        this.operators = new OperatorService(ledger, identities, pipeline, engine);
        this.chats = new ChatService(engine, market, pipeline, gate, identities, metrics, work.nodeFulfilment());
        if (grid != null) { // remote work, both ways (docs/grid.md)
            grid.sell(engine, work.nodeFulfilment(), chats::price);
            chats.buyFrom(grid.buyer(work.nodeFulfilment()));
        }
        this.tools = new ForgeMcp(accounts, marketService, chats, safety, lendingService, work, metrics);
    }

    /** The grid's store when the node joins one (docs/grid.md); it connects in {@link #start}. */
    private NodeGrid openGrid(Path data) {
        if (settings.grid().isEmpty()) return null;
        try {
            DataFolder.createPrivate(data.resolve("grid"));
            return NodeGrid.open(settings.grid().get(), data.resolve("grid"), new NodeIdentity(identities.nodeKey()), ledger,
                    PROVIDER, market, engine, () -> endpoint(data), settings.queue(), chains::rate);
        } catch (java.io.IOException | RuntimeException e) {
            closeQuietly(engine);
            closeQuietly(work);
            closeQuietly(pipeline);
            closeQuietly(ledger);
            throw new NodeStartException("the grid store in " + data.resolve("grid") + " cannot be opened: " + oneLine(e), e);
        }
    }

    /** Where this node serves MCP, once it listens (the address it writes for the CLI); empty before. */
    private static String endpoint(Path data) {
        try {
            return java.nio.file.Files.readString(data.resolve(StartupReport.ADDRESS_FILE)).strip() + "/mcp";
        } catch (java.io.IOException notYet) {
            return "";
        }
    }

    /** The work orders' store, or a one-line refusal; the stores opened before are closed again. */
    private WorkService openWork(Path data, InstantSource clock) {
        try {
            DataFolder.createPrivate(data.resolve("orders"));
            var verifying = new WorkService.Verifying(chains, new NodeReexecution(() -> engine),
                    settings.verifyPeriod().toMillis());
            return WorkService.open(data.resolve("orders"), ledger, market, pipeline, gate, identities::agentKey,
                    identities.nodeKey(), verifying, clock, 2_000);
        } catch (java.io.IOException | RuntimeException e) {
            closeQuietly(pipeline);
            closeQuietly(ledger);
            throw new NodeStartException("the work order store in " + data.resolve("orders") + " cannot be opened: "
                    + oneLine(e), e);
        }
    }

    private void seal(Path data) {
        try {
            DataFolder.sealAfterOpen(data, heads());
        } catch (RuntimeException e) {
            work.close();
            pipeline.close();
            ledger.close();
            throw e;
        }
    }

    private DataFolder.Heads heads() {
        return new DataFolder.Heads(ledger.journalHead(), pipeline.audit().size());
    }

    private static Ledger openLedger(Path data, InstantSource clock) {
        try {
            DataFolder.createPrivate(data.resolve("ledger"));
            return Ledger.open(data.resolve("ledger"), dev.forge.economy.ledger.LedgerConfig.defaults().withClock(clock));
        } catch (LedgerStorageException e) {
            throw new NodeStartException(e.getMessage(), e);
        } catch (java.io.IOException e) {
            throw new NodeStartException("cannot create the ledger folder in " + data + ": " + e.getMessage(), e);
        }
    }

    /** The safety store, or a one-line refusal; the ledger is closed again if it cannot open. */
    private static SpendPipeline openPipeline(Path data, Ledger ledger, InstantSource clock) {
        try {
            DataFolder.createPrivate(data.resolve("safety"));
            return SpendPipeline.open(data.resolve("safety"), ledger,
                    PipelineConfig.defaults().withClock(clock).withModelFault(InferenceGuard::isModelFault));
        } catch (java.io.IOException | RuntimeException e) {
            ledger.close();
            throw new NodeStartException("the safety store in " + data.resolve("safety") + " cannot be opened: "
                    + oneLine(e), e);
        }
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        return message.lines().findFirst().orElse("");
    }

    /** Opens the node's data folder and loads its models. */
    public static ForgeNode open(NodeSettings settings) {
        return open(settings, InstantSource.system());
    }

    public static ForgeNode open(NodeSettings settings, InstantSource clock) {
        return open(settings, clock, new NodeMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    /** Opens the node counting into {@code metrics}, whose gauges then read it. */
    public static ForgeNode open(NodeSettings settings, InstantSource clock, NodeMetrics metrics) {
        ForgeNode node = new ForgeNode(settings, clock, metrics);
        try {
            node.start();
            return node;
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    private void start() {
        ledger.openAccount(AccountSpec.provider(PROVIDER, identities.nodeKey().publicKey()));
        // Borrowing and repaying hold their amount towards here while the pipeline decides.
        ledger.openAccount(AccountSpec.system(ESCROW, dev.forge.economy.ledger.AccountKind.ESCROW));
        var store = new ModelStore(settings.modelsRoot(), ModelCatalog.builtIn(), ModelSource.HUGGING_FACE);
        for (String model : settings.models()) {
            Path folder = store.resolve(model, DownloadProgress.bar(System.err));
            String name = ModelCatalog.builtIn().find(model).isPresent() ? model : folder.getFileName().toString();
            LocalModel loaded = engine.load(name, folder);
            market.offer(new Offer(PROVIDER, name, ModelTier.valueOf(loaded.tier().name()), 0, settings.tokensPerMinute()));
        }
        lending.start();
        if (grid != null) grid.join();
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public Identities identities() {
        return identities;
    }

    public Ledger ledger() {
        return ledger;
    }

    public SpendPipeline pipeline() {
        return pipeline;
    }

    public Market market() {
        return market;
    }

    public Lending lending() {
        return lending;
    }

    public InferenceEngine engine() {
        return engine;
    }

    public Statements statements() {
        return statements;
    }

    public WorkService work() {
        return work;
    }

    public AccountService accounts() {
        return accounts;
    }

    public MarketService marketService() {
        return marketService;
    }

    public LendingService lendingService() {
        return lendingService;
    }

    public SafetyService safety() {
        return safety;
    }

    public OperatorService operators() {
        return operators;
    }

    /** The grid this node joined, if any. */
    public java.util.Optional<NodeGrid> grid() {
        return java.util.Optional.ofNullable(grid);
    }

    public ChatService chats() {
        return chats;
    }

    /** The one table of tools, served over MCP and REST alike. */
    public ForgeMcp tools() {
        return tools;
    }

    /** An agent account (with the free tier), its key and its API token: {@link OperatorService#createAgent}. */
    public String createAgent(String id) {
        return operators.createAgent(id);
    }

    /** The kill switch, for whoever still has the right to pull it (the operator can take it from an agent). */
    public void kill(Actor actor, String reason) {
        safety.kill(actor, new SafetyService.KillRequest(reason));
    }

    /** Stops in the order that loses nothing: no new work, then the engine, then the stores. */
    @Override
    public void close() {
        closeQuietly(grid); // first: nothing more is published from a ledger about to close
        closeQuietly(lending);
        closeQuietly(work);
        closeQuietly(engine);
        closeQuietly(pipeline);
        closeQuietly(ledger);
        try {
            DataFolder.recordHeads(settings.data(), heads());
        } catch (RuntimeException e) {
            System.err.println("forge: recording the stores' heads failed: " + e.getMessage());
        }
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) return;
        try {
            part.close();
        } catch (Exception e) {
            System.err.println("forge: closing " + part.getClass().getSimpleName() + " failed: " + e);
        }
    }
}
