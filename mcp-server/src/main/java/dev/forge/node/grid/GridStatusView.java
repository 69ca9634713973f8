package dev.forge.node.grid;

import dev.forge.grid.GridApplier;
import dev.forge.grid.GridOffer;
import dev.forge.grid.GridRoot;
import dev.forge.grid.PeerBalances;
import dev.forge.node.app.Amount;
import dev.forge.node.app.GridViews;
import dev.forge.node.app.SignedAmount;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The network tool's view of the grid: the root, every node seen with the money between it and
 * this node (as both logs record it), and the applier's counts. Heads, root and sums come from
 * one snapshot of the fold, so they describe one moment.
 */
final class GridStatusView {
    private GridStatusView() {}

    static GridViews.GridStatus of(String self, boolean connected, boolean offering, GridApplier applier, List<GridOffer> live,
                                   long published, PeerBalances.Snapshot money) {
        Map<String, GridRoot.Head> heads = money.heads();
        Map<String, Boolean> verifiable = applier.verifiable();
        Set<String> offered = live.stream().map(GridOffer::nodeId).collect(Collectors.toSet());
        Set<String> nodes = new TreeSet<>(heads.keySet());
        nodes.addAll(verifiable.keySet());
        nodes.addAll(offered);
        nodes.addAll(money.peersOf(self));
        nodes.add(self);
        List<GridViews.Peer> peers = new ArrayList<>();
        long entries = 0;
        for (String node : nodes) {
            GridRoot.Head head = heads.get(node);
            long size = head == null ? 0 : head.size();
            entries += size;
            PeerBalances.Between between = node.equals(self)
                    ? new PeerBalances.Between(self, self, PeerBalances.Recorded.NONE, PeerBalances.Recorded.NONE)
                    : money.between(self, node);
            peers.add(new GridViews.Peer(node, size, head == null ? "" : HexFormat.of().formatHex(head.root()),
                    verifiable.getOrDefault(node, true), node.equals(self) ? offering : offered.contains(node),
                    Amount.of(between.selfSays().owes()), Amount.of(between.selfSays().owed()),
                    Amount.of(between.peerSays().owes()), Amount.of(between.peerSays().owed()),
                    SignedAmount.of(between.net()), between.agree()));
        }
        List<GridViews.RefusalCount> refusals = applier.refusals().entrySet().stream()
                .map(e -> new GridViews.RefusalCount(e.getKey(), e.getValue())).toList();
        return new GridViews.GridStatus(self, connected, HexFormat.of().formatHex(money.gridRoot()), peers,
                applier.lastSequence(), entries, published, offered.size(), refusals);
    }
}
