package dev.forge.node.work;

import dev.forge.economy.work.ChainBook;
import dev.forge.economy.work.Check;
import dev.forge.economy.work.VerificationRate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongBiFunction;

/**
 * A provider's reputation as {@code verify} shows it: the {@link ChainBook}'s rate over its paid
 * chains as they stand now (value-weighted, with the prior), and the last failures with their
 * reasons: its chains that fail now, and its deliveries refused on arrival (never paid, so not
 * chains, but what a buyer wants to know).
 */
final class ProviderRates {
    private ProviderRates() {
    }

    static WorkCalls.ProviderRate of(String provider, ChainBook book, ToLongBiFunction<String, Long> orderIds,
                                     List<DeliveryRecord> deliveries, int failuresShown) {
        VerificationRate rate = book.rate(provider);
        List<WorkCalls.Failure> failures = new ArrayList<>();
        for (ChainBook.Failure f : book.failures(provider)) {
            failures.add(new WorkCalls.Failure(orderIds.applyAsLong(provider, f.logIndex()), f.logIndex(), f.check().name(),
                    f.check().code(), f.check().reason(), f.at()));
        }
        for (DeliveryRecord d : deliveries.reversed()) { // newest first, so that the stable sort keeps ties so
            Check failed = d.firstFailure();
            if (failed != null) {
                failures.add(new WorkCalls.Failure(d.orderId(), -1, failed.name(), failed.code(), failed.reason(), d.at()));
            }
        }
        failures.sort(Comparator.comparingLong(WorkCalls.Failure::at).reversed());
        return new WorkCalls.ProviderRate(provider, rate.ppm(), rate.describe(), rate.chains(), rate.verifying(),
                rate.completed(), List.copyOf(failures.subList(0, Math.min(failuresShown, failures.size()))));
    }
}
