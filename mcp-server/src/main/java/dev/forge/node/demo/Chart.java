package dev.forge.node.demo;

import dev.forge.economy.market.Cu;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's chart as a standalone SVG file: two panels, each agent's balance (both its accounts)
 * and what its loans owe, after each round (round 0 is before the first), one polyline per agent
 * and panel, in a {@code <g>} named by {@code data-agent} and {@code data-series}. Amounts stay
 * µCU; only the drawing's coordinates are scaled.
 */
final class Chart {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final int WIDTH = 760;
    private static final int PANEL = 240;
    private static final int LEFT = 110;
    private static final int RIGHT = 150;
    private static final int TOP = 40;
    private final Map<String, List<Long>> balances = new LinkedHashMap<>();
    private final Map<String, List<Long>> loans = new LinkedHashMap<>();

    /** One round's books: a point per agent in each panel. */
    void add(List<Books> round) {
        for (Books b : round) {
            balances.computeIfAbsent(b.agent(), a -> new java.util.ArrayList<>()).add(b.balance());
            loans.computeIfAbsent(b.agent(), a -> new java.util.ArrayList<>()).add(b.owed());
        }
    }

    void write(Path file, String title) throws IOException {
        int height = TOP + 2 * (PANEL + 50) + 20;
        var svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"sans-serif\" font-size=\"12\">\n<title>").append(escape(title)).append("</title>\n")
                .append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"").append(LEFT).append("\" y=\"22\" font-size=\"15\">")
                .append(escape(title)).append("</text>\n");
        panel(svg, "balance", "Balance (agent and key accounts), CU", balances, TOP);
        panel(svg, "loans", "Owed on loans, CU", loans, TOP + PANEL + 50);
        svg.append("</svg>\n");
        Files.writeString(file, svg, StandardCharsets.UTF_8);
    }

    private void panel(StringBuilder svg, String series, String label, Map<String, List<Long>> data, int top) {
        long min = data.values().stream().flatMap(List::stream).mapToLong(Long::longValue).min().orElse(0);
        long max = data.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(0);
        if (series.equals("loans")) min = 0;
        if (max == min) max = min + 1_000_000;
        int rounds = data.values().stream().mapToInt(List::size).max().orElse(1);
        int plotWidth = WIDTH - LEFT - RIGHT;
        svg.append("<g data-panel=\"").append(series).append("\">\n<text x=\"").append(LEFT).append("\" y=\"").append(top + 4)
                .append("\">").append(escape(label)).append("</text>\n");
        svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(top + 12).append("\" width=\"").append(plotWidth)
                .append("\" height=\"").append(PANEL - 24).append("\" fill=\"none\" stroke=\"#999\"/>\n");
        axisLabel(svg, Cu.format(max), top + 16);
        axisLabel(svg, Cu.format(min), top + PANEL - 12);
        for (int r = 0; r < rounds; r++) {
            svg.append("<text x=\"").append(x(r, rounds, plotWidth)).append("\" y=\"").append(top + PANEL + 4)
                    .append("\" text-anchor=\"middle\">").append(r).append("</text>\n");
        }
        svg.append("<text x=\"").append(LEFT + plotWidth / 2).append("\" y=\"").append(top + PANEL + 20)
                .append("\" text-anchor=\"middle\">round</text>\n");
        int index = 0;
        for (var entry : data.entrySet()) {
            String color = COLORS[index % COLORS.length];
            svg.append("<g data-agent=\"").append(escape(entry.getKey())).append("\" data-series=\"").append(series).append("\">\n")
                    .append("<title>").append(escape(entry.getKey())).append("</title>\n<polyline fill=\"none\" stroke=\"")
                    .append(color).append("\" stroke-width=\"2\" points=\"");
            List<Long> values = entry.getValue();
            for (int r = 0; r < values.size(); r++) {
                svg.append(x(r, rounds, plotWidth)).append(',').append(y(values.get(r), min, max, top)).append(r + 1 < values.size() ? " " : "");
            }
            svg.append("\"/>\n<text x=\"").append(WIDTH - RIGHT + 8).append("\" y=\"").append(top + 24 + 16 * index).append("\" fill=\"")
                    .append(color).append("\">").append(escape(entry.getKey())).append(' ')
                    .append(Cu.format(values.isEmpty() ? 0 : values.getLast())).append("</text>\n</g>\n");
            index++;
        }
        svg.append("</g>\n");
    }

    private static void axisLabel(StringBuilder svg, String text, int y) {
        svg.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(y).append("\" text-anchor=\"end\">").append(text).append("</text>\n");
    }

    private static long x(int round, int rounds, int plotWidth) {
        return LEFT + (rounds <= 1 ? 0 : (long) round * plotWidth / (rounds - 1));
    }

    /** The drawing's y for an amount: exact integer scaling of µCU onto the panel's pixels. */
    private static long y(long value, long min, long max, int top) {
        long span = PANEL - 28;
        return top + 14 + span - java.math.BigInteger.valueOf(value - min).multiply(java.math.BigInteger.valueOf(span))
                .divide(java.math.BigInteger.valueOf(max - min)).longValue();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
