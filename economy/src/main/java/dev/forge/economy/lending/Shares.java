package dev.forge.economy.lending;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Splits an amount in proportion to weights, exactly: each share is rounded down, and the
 * µCU left over go one each to the largest remainders (ties to the smaller id). The shares
 * always add up to the amount; zero shares are left out.
 */
final class Shares {
    private Shares() {
    }

    static Map<String, Long> split(long amount, Map<String, Long> weights) {
        Map<String, Long> sorted = new TreeMap<>(weights);
        BigInteger total = BigInteger.valueOf(sorted.values().stream().mapToLong(Long::longValue).sum());
        if (total.signum() <= 0) throw new IllegalArgumentException("nothing to split by");
        Map<String, Long> shares = new LinkedHashMap<>();
        List<Map.Entry<String, Long>> remainders = new ArrayList<>();
        long given = 0;
        for (var w : sorted.entrySet()) {
            BigInteger[] division = BigInteger.valueOf(amount).multiply(BigInteger.valueOf(w.getValue())).divideAndRemainder(total);
            shares.put(w.getKey(), division[0].longValueExact());
            given += division[0].longValueExact();
            remainders.add(Map.entry(w.getKey(), division[1].longValueExact()));
        }
        remainders.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        for (int i = 0; given < amount; i++, given++) shares.merge(remainders.get(i).getKey(), 1L, Long::sum);
        shares.values().removeIf(share -> share == 0);
        return shares;
    }
}
