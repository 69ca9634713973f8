package dev.forge.node.grid;

import dev.forge.economy.ledger.Ledger;
import dev.forge.economy.market.Market;
import dev.forge.economy.market.ProviderFilter;
import dev.forge.economy.work.VerificationRate;
import dev.forge.grid.GridApplier;
import dev.forge.grid.GridConnection;
import dev.forge.grid.GridFollower;
import dev.forge.grid.GridOffer;
import dev.forge.grid.GridOfferPublisher;
import dev.forge.grid.GridOffers;
import dev.forge.grid.GridPublisher;
import dev.forge.grid.GridStreams;
import dev.forge.grid.NodeIdentity;
import dev.forge.grid.PeerBalances;
import dev.forge.grid.PeerStatement;
import dev.forge.grid.RemoteWorkClient;
import dev.forge.grid.RemoteWorkServer;
import dev.forge.inference.InferenceEngine;
import dev.forge.node.app.GridViews;
import dev.forge.node.work.NodeFulfilment;
import io.nats.client.Connection;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * This node's membership of the grid. The applier's store opens at once (so status and a
 * restart's resume point are there even while NATS is down); {@link #join} then connects in the
 * background, retrying until NATS answers, so a node whose grid is unreachable still serves
 * alone. Once connected it keeps the node's offer in the bucket, follows the stream into the
 * applier, and publishes every ledger leaf the stream lacks whenever the ledger grew.
 */
public final class NodeGrid implements GridViews.Source, AutoCloseable {
    private static final Logger LOG = Logger.getLogger(NodeGrid.class.getName());
    /** How often the node looks for new ledger leaves to publish. */
    private static final Duration PUBLISH_POLL = Duration.ofMillis(500);
    private static final Duration RETRY = Duration.ofSeconds(2);

    private final GridOptions options;
    private final NodeIdentity node;
    private final Ledger ledger;
    private final NodeOffer offer;
    private final GridApplier applier;
    private final RemoteOffers remote;
    private final PeerBalances money;
    private final GridStreams streams;
    private final Thread member;
    private volatile boolean running = true;
    private volatile Connection connection;
    private volatile GridOfferPublisher offerPublisher;
    private volatile GridFollower follower;
    private volatile long published;
    private final int capacity;
    private volatile RemoteSeller seller;
    private RemoteWorkServer server;

    private NodeGrid(GridOptions options, NodeIdentity node, Ledger ledger, NodeOffer offer, GridApplier applier,
                     Function<String, VerificationRate> rates, int capacity) {
        this.capacity = capacity;
        this.options = options;
        this.node = node;
        this.ledger = ledger;
        this.offer = offer;
        this.applier = applier;
        this.money = new PeerBalances(applier);
        this.streams = GridStreams.defaults(options.replicas());
        this.remote = new RemoteOffers(node.id(), new GridRates(rates, applier), InstantSource.system());
        this.member = Thread.ofPlatform().name("grid-member").daemon().unstarted(this::run);
    }

    /**
     * Opens the applier's store in {@code folder}; nothing touches NATS before {@link #join}.
     *
     * @param provider the node's provider account, the one its offer sells under
     * @param endpoint where the node serves, read at every refresh (empty until it listens)
     * @param capacity requests the node serves at once
     * @param rates the verification rate this node measured, by provider
     */
    public static NodeGrid open(GridOptions options, Path folder, NodeIdentity node, Ledger ledger, String provider,
                                Market market, InferenceEngine engine, Supplier<String> endpoint, int capacity,
                                Function<String, VerificationRate> rates) {
        long ttl = GridStreams.defaults(options.replicas()).offerTtl().toMillis();
        var offer = new NodeOffer(node, provider, market, engine, endpoint, capacity, ttl);
        return new NodeGrid(options, node, ledger, offer, GridApplier.open(folder), rates, capacity);
    }

    public String nodeId() {
        return node.id();
    }

    /** Starts joining in the background. */
    public void join() {
        member.start();
    }

    private void run() {
        try {
            connectUntilJoined();
            while (running) {
                publishIfGrown();
                Thread.sleep(PUBLISH_POLL.toMillis());
            }
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
        }
    }

    private void connectUntilJoined() throws InterruptedException {
        while (running) {
            try {
                if (connection == null) {
                    connection = GridConnection.connect(options.servers(), "forge " + node.id(), options.credentials());
                }
                streams.ensure(connection);
                remote.use(new GridOffers(connection, InstantSource.system()));
                if (offerPublisher == null) {
                    offerPublisher = GridOfferPublisher.start(connection, node, streams.offerTtl(), InstantSource.system(),
                            offer::at);
                }
                follower = GridFollower.start(connection, applier);
                startSelling();
                LOG.info(() -> "grid: " + node.id() + " joined through " + connection.getConnectedUrl());
                return;
            } catch (InterruptedException e) {
                throw e;
            } catch (Exception e) {
                LOG.warning("grid: cannot join yet (" + e.getMessage() + "), retrying in " + RETRY.toSeconds() + " s");
                Thread.sleep(RETRY.toMillis());
            }
        }
    }

    /**
     * Serves remote work (docs/grid.md) from when the node is connected: vouches sent to this
     * node's subject run on {@code engine} and are settled by {@code fulfilment}, as the node's
     * own chats, at {@code price} (µCU per 1,000 tokens now, by model).
     */
    public void sell(InferenceEngine engine, NodeFulfilment fulfilment, ToLongFunction<String> price) {
        // The price of a sale: the market's now, or the lowest this node signed in an offer still live.
        ToLongFunction<String> honoured = model -> Math.min(price.applyAsLong(model),
                offer.signedPrice(model, System.currentTimeMillis()));
        seller = new RemoteSeller(node.id(), ledger, engine, fulfilment, honoured, options.peerCredit());
        if (connection != null && follower != null) startSelling();
    }

    private synchronized void startSelling() {
        if (seller == null || server != null || connection == null) return;
        server = new RemoteWorkServer(connection, node.id(), seller, capacity, InstantSource.system());
        server.start();
    }

    /** The buyer's side of remote work: chats of models this node lacks, bought from the live offers (docs/grid.md). */
    public RemoteBuyer buyer(NodeFulfilment fulfilment) {
        return new RemoteBuyer(node, ledger, fulfilment, remote::sellers, this::client, RemoteWorkClient.Timeouts.DEFAULT);
    }

    /** The client for remote work, once connected. */
    public Optional<RemoteWorkClient> client() {
        Connection c = connection;
        return c == null ? Optional.empty() : Optional.of(new RemoteWorkClient(c, node));
    }

    /** This node's grid identity: it signs vouches and custodial orders for its agents' remote work. */
    public NodeIdentity identity() {
        return node;
    }

    /** The ledger is the authority: every leaf the stream lacks goes out, in order, acknowledged one by one. */
    private void publishIfGrown() throws InterruptedException {
        long size = ledger.logSize();
        if (size == published) return;
        try {
            new GridPublisher(connection, node, ledger, () -> Optional.of(applier.tip(node.id()))).publishPending();
            published = size;
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            LOG.log(Level.WARNING, "grid: publishing failed, retrying: " + e.getMessage());
            Thread.sleep(RETRY.toMillis());
        }
    }

    @Override
    public List<GridViews.RemoteOffer> offers(String model, ProviderFilter filter) {
        return remote.offers(model, filter);
    }

    @Override
    public Optional<GridViews.GridStatus> status() {
        return Optional.of(GridStatusView.of(node.id(), connected(), offerPublisher != null && connected(), applier, remote.live(),
                published, money.snapshot()));
    }

    /**
     * This node's signed settlement statement with {@code peer} now (docs/grid.md, "Money between
     * nodes"); empty when {@code peer} is this node, or no node this one has seen (no log applied,
     * none naming it, no live offer).
     */
    public Optional<PeerStatement> statement(String peer) {
        PeerBalances.Snapshot snapshot = money.snapshot();
        boolean seen = snapshot.peersOf(node.id()).contains(peer) || remote.live().stream().anyMatch(o -> o.nodeId().equals(peer));
        if (!seen || peer.equals(node.id())) return Optional.empty();
        return Optional.of(PeerStatement.issue(node, peer, snapshot, System.currentTimeMillis()));
    }

    private boolean connected() {
        Connection c = connection;
        return c != null && c.getStatus() == Connection.Status.CONNECTED;
    }

    /** The live, verified offers of the other nodes (for tests and the page). */
    public List<GridOffer> liveOffers() {
        return remote.live();
    }

    /** Stops in the order that loses nothing: no more publishing, the offer deleted, the stream left, the store closed. */
    @Override
    public void close() {
        running = false;
        member.interrupt();
        try {
            member.join(Duration.ofSeconds(10));
            if (follower != null) follower.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(server);
        closeQuietly(offerPublisher);
        closeQuietly(connection);
        applier.close();
    }

    private static void closeQuietly(AutoCloseable part) {
        if (part == null) return;
        try {
            part.close();
        } catch (Exception e) {
            LOG.fine(() -> "grid: closing " + part.getClass().getSimpleName() + " failed: " + e);
        }
    }
}
