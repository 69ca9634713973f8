package dev.forge.node.work;

import dev.forge.economy.work.Check;
import dev.forge.economy.work.VerificationRate;
import java.util.ArrayList;
import java.util.List;

/**
 * A provider's reputation from the checks recorded so far: economy's {@link VerificationRate}
 * over its deliveries, each weighted by what it claimed. The one place the rate is computed,
 * so that a value-weighted reputation with live re-checks can replace it.
 */
final class ProviderRates {
    private ProviderRates() {
    }

    static WorkCalls.ProviderRate of(String provider, List<DeliveryRecord> deliveries, int failuresShown) {
        VerificationRate rate = VerificationRate.none();
        List<WorkCalls.Failure> failures = new ArrayList<>();
        for (DeliveryRecord d : deliveries) {
            rate = rate.withChecked(d.verified(), d.value());
            if (d.verified()) rate = rate.withCompleted();
            Check failed = d.firstFailure();
            if (failed != null) failures.addFirst(new WorkCalls.Failure(d.orderId(), failed.name(), failed.code(), d.at()));
        }
        return new WorkCalls.ProviderRate(provider, rate.ppm(), rate.describe(), rate.chains(), rate.verifying(),
                rate.completed(), List.copyOf(failures.subList(0, Math.min(failuresShown, failures.size()))));
    }
}
