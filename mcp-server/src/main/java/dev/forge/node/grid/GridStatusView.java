package dev.forge.node.grid;

import dev.forge.grid.GridApplier;
import dev.forge.grid.GridOffer;
import dev.forge.grid.GridRoot;
import dev.forge.node.app.GridViews;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The network tool's view of the grid: the root, every node seen, and the applier's counts. */
final class GridStatusView {
    private GridStatusView() {}

    static GridViews.GridStatus of(String self, boolean connected, boolean offering, GridApplier applier, List<GridOffer> live,
                                   long published) {
        Map<String, GridRoot.Head> heads = applier.heads();
        Map<String, Boolean> verifiable = applier.verifiable();
        Set<String> offered = live.stream().map(GridOffer::nodeId).collect(Collectors.toSet());
        Set<String> nodes = new TreeSet<>(heads.keySet());
        nodes.addAll(verifiable.keySet());
        nodes.addAll(offered);
        nodes.add(self);
        List<GridViews.Peer> peers = new ArrayList<>();
        long entries = 0;
        for (String node : nodes) {
            GridRoot.Head head = heads.get(node);
            long size = head == null ? 0 : head.size();
            entries += size;
            peers.add(new GridViews.Peer(node, size, head == null ? "" : HexFormat.of().formatHex(head.root()),
                    verifiable.getOrDefault(node, true), node.equals(self) ? offering : offered.contains(node)));
        }
        List<GridViews.RefusalCount> refusals = applier.refusals().entrySet().stream()
                .map(e -> new GridViews.RefusalCount(e.getKey(), e.getValue())).toList();
        return new GridViews.GridStatus(self, connected, HexFormat.of().formatHex(GridRoot.of(heads)), peers,
                applier.lastSequence(), entries, published, offered.size(), refusals);
    }
}
