package dev.forge.agent;

import dev.forge.economy.market.Cu;
import dev.forge.economy.market.ModelTier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The default planner: integer µCU arithmetic, one line of reasons per decision. In order:
 * wait while the kill switch is on; repay a loan the earnings cover (or, near its due date,
 * from the agent account, as much as it allows); lend idle CU above a reserve; order the task from the offer whose worth
 * minus worst-case cost is highest, if it can be paid; else borrow, to reach a better tier than
 * the lowest on offer, when the loan pays for itself over the next orders, else downgrade to
 * the best offer it can pay, else wait to earn. After the last task it waits to earn what its
 * loans owe and repays them ({@link #settle}).
 */
public final class EconomicPlanner implements Planner {
    /** How the planner weighs loans and idle CU. All money in µCU. */
    public record Settings(int lookahead, int loanTermDays, long repayMarginMillis, long lendReserve, long minimumLend,
                           long maximumLend) {
        public static final Settings DEFAULT = new Settings(5, 7, 24 * 3_600_000L, 5_000_000L, 1_000_000L, 10_000_000L);

        public Settings {
            if (lookahead < 1 || loanTermDays < 1 || repayMarginMillis < 0 || lendReserve < 0 || minimumLend < 1
                    || maximumLend < minimumLend) {
                throw new IllegalArgumentException("planner settings out of range");
            }
        }
    }

    private static final long DAYS_PER_YEAR = 365;
    private final Settings settings;

    public EconomicPlanner(Settings settings) {
        this.settings = settings;
    }

    public EconomicPlanner() {
        this(Settings.DEFAULT);
    }

    /** One offer priced for one task: what it costs at most and what its result is worth. */
    private record Priced(Offer offer, long cost, long value) {
        long net() {
            return value - cost;
        }
    }

    @Override
    public Decision decide(Snapshot seen, Task task, List<Task> ahead, RuledOut ruledOut) {
        if (seen.killSwitch()) {
            return Decision.of(Decision.Kind.WAIT, "the kill switch is on (" + seen.killReason() + "): no spending until it is released");
        }
        List<Priced> priced = priced(seen.offers(), task, ruledOut);
        // A repayment leaves the key account enough for this task's order: a loan's proceeds are for that order.
        long keep = priced.isEmpty() || priced.getFirst().net() <= 0 ? 0 : priced.getFirst().cost();
        Optional<Decision> repay = repay(seen, ruledOut, keep, task.id());
        if (repay.isPresent()) return repay.get();
        Optional<Decision> lend = lend(seen, ruledOut);
        if (lend.isPresent()) return lend.get();
        if (priced.isEmpty()) {
            return Decision.of(Decision.Kind.SKIP, seen.offers().isEmpty() ? "no provider offers a model I can order for " + task.id()
                    : "every offer for " + task.id() + " was refused");
        }
        Priced ideal = priced.getFirst();
        if (ideal.net() <= 0) {
            return Decision.of(Decision.Kind.SKIP, task.id() + " is not worth ordering: the best offer (" + describe(ideal)
                    + ") costs at least what its result is worth");
        }
        if (ideal.cost() <= seen.spendable()) {
            return Decision.buy(ideal.offer(), ideal.cost(), describe(ideal) + " for " + task.id() + ": worth " + cu(ideal.value())
                    + " CU, costs at most " + cu(ideal.cost()) + " CU at " + ideal.offer().provider() + ", net " + cu(ideal.net()) + " CU"
                    + unreached(task, priced));
        }
        Optional<Priced> fallback = priced.stream().filter(p -> p.cost() <= seen.spendable() && p.net() > 0).findFirst();
        LoanCase loan = loan(seen, task, ahead, ruledOut, ideal, fallback);
        if (loan.decision() != null) return loan.decision();
        if (fallback.isPresent()) {
            Priced f = fallback.get();
            return Decision.buy(f.offer(), f.cost(), describe(f) + " instead of " + describe(ideal) + " for " + task.id() + ": "
                    + describe(ideal) + " costs up to " + cu(ideal.cost()) + " CU and I can pay " + cu(seen.spendable())
                    + "; " + loan.why());
        }
        Priced cheapest = priced.stream().min(Comparator.comparingLong(Priced::cost)).orElseThrow();
        return Decision.of(Decision.Kind.WAIT, "waiting to earn: the cheapest offer for " + task.id() + " costs up to "
                + cu(cheapest.cost()) + " CU and I can pay " + cu(seen.spendable()) + "; " + loan.why());
    }

    /** After the tasks: repay from earnings as they come, waiting for them, so that no loan runs to its term. */
    @Override
    public Decision settle(Snapshot seen) {
        if (seen.activeLoans().isEmpty()) return Decision.of(Decision.Kind.SKIP, "every loan is repaid: the run ends");
        if (seen.killSwitch()) {
            return Decision.of(Decision.Kind.WAIT, "the kill switch is on (" + seen.killReason() + "): no repayment until it is released");
        }
        Optional<Decision> repay = repay(seen, RuledOut.none(), 0, "");
        if (repay.isPresent()) return repay.get();
        Loan first = seen.activeLoans().stream().min(Comparator.comparingLong(Loan::dueAt)).orElseThrow();
        return Decision.of(Decision.Kind.WAIT, "waiting to earn what " + first.id() + " owes (" + cu(first.owed()) + " CU) before "
                + "the run ends: my key account holds " + cu(seen.spendable()) + " CU");
    }

    /** Said when no offer reaches the tier the task deserves, so a reader sees why it settles for less. */
    private static String unreached(Task task, List<Priced> priced) {
        boolean reached = priced.stream().anyMatch(p -> p.offer().tier().compareTo(task.needs()) >= 0);
        return reached ? "" : " (it deserves the " + task.needs().name().toLowerCase(java.util.Locale.ROOT) + " tier, which no offer reaches)";
    }

    /**
     * Debts are paid from earnings: once the key account covers what a loan owes (and a
     * thousandth more, for the interest that runs until the payment lands) beyond what it keeps
     * for the task's order ({@code keep}: a loan's proceeds pay that order), that moves to the
     * agent account and repays the loan in full. The agent account's own CU backs collateral
     * and lending, and repays only a loan near its due date, so that it does not default.
     */
    private Optional<Decision> repay(Snapshot seen, RuledOut ruledOut, long keep, String task) {
        if (ruledOut.kind(Decision.Kind.REPAY)) return Optional.empty();
        for (Loan loan : seen.activeLoans().stream().sorted(Comparator.comparingLong(Loan::dueAt)).toList()) {
            long owed = loan.owed();
            if (owed <= 0) continue;
            long move = Math.addExact(owed, Math.ceilDiv(owed, 1_000L));
            if (seen.spendable() - keep >= move) {
                return Optional.of(Decision.repayFromKey(loan.id(), owed, move, "repay " + loan.id() + " in full (" + cu(owed)
                        + " CU) from my earnings: my key account holds " + cu(seen.spendable()) + " CU" + (keep > 0 ? ", "
                        + cu(keep) + " of them kept for " + task + "'s order" : "") + ", so " + cu(move)
                        + " CU move to my agent account, and interest runs until it is paid"));
            }
            long left = loan.dueAt() - seen.now();
            if (left > settings.repayMarginMillis()) continue;
            // In full when the account covers the node's hold for it (a thousandth more): no µCU of interest is left over.
            if (seen.available() >= move) {
                return Optional.of(Decision.repayInFull(loan.id(), owed, "repay " + loan.id() + " in full (" + cu(owed) + " CU) from "
                        + "my agent account: it is due in " + hours(left) + " h and my earnings do not cover it"));
            }
            if (seen.available() >= owed) {
                return Optional.of(Decision.repay(loan.id(), owed, "repay " + loan.id() + " (" + cu(owed) + " CU as I saw it) from "
                        + "my agent account: it is due in " + hours(left) + " h and my earnings do not cover it"));
            }
            if (seen.available() > 0) {
                return Optional.of(Decision.repay(loan.id(), seen.available(), "repay " + cu(seen.available()) + " CU of the "
                        + cu(owed) + " CU " + loan.id() + " owes: it is due in " + hours(left) + " h and that is all I have"));
            }
        }
        return Optional.empty();
    }

    private Optional<Decision> lend(Snapshot seen, RuledOut ruledOut) {
        if (ruledOut.kind(Decision.Kind.LEND) || !seen.activeLoans().isEmpty()) return Optional.empty();
        long idle = Math.min(seen.available() - settings.lendReserve(), settings.maximumLend() - seen.lent());
        if (idle < settings.minimumLend()) return Optional.empty();
        return Optional.of(Decision.lend(idle, "lend " + cu(idle) + " CU to the pool: it is idle in my agent account (orders are "
                + "paid from my key account); I keep " + cu(settings.lendReserve()) + " CU for collateral and lend at most "
                + cu(settings.maximumLend()) + " CU a run"));
    }

    /** The cheapest offer of each tier, best worth-minus-cost first (the higher tier on a tie). */
    private static List<Priced> priced(List<Offer> offers, Task task, RuledOut ruledOut) {
        Map<ModelTier, Offer> cheapest = new TreeMap<>();
        for (Offer o : offers) {
            if (ruledOut.offer(o)) continue;
            cheapest.merge(o.tier(), o, (a, b) -> a.pricePerKiloToken() < b.pricePerKiloToken()
                    || a.pricePerKiloToken() == b.pricePerKiloToken() && a.key().compareTo(b.key()) <= 0 ? a : b);
        }
        List<Priced> priced = new ArrayList<>();
        for (Offer o : cheapest.values()) priced.add(new Priced(o, o.worstCase(task), task.valueAt(o.tier())));
        priced.sort(Comparator.comparingLong(Priced::net).reversed()
                .thenComparing(p -> p.offer().tier(), Comparator.reverseOrder()));
        return priced;
    }

    /** A loan that would let the agent order {@code ideal}, or why not. */
    private record LoanCase(Decision decision, String why) {
        static LoanCase no(String why) {
            return new LoanCase(null, why);
        }
    }

    private LoanCase loan(Snapshot seen, Task task, List<Task> ahead, RuledOut ruledOut, Priced ideal, Optional<Priced> fallback) {
        long shortfall = ideal.cost() - seen.spendable();
        if (ruledOut.kind(Decision.Kind.BORROW)) return LoanCase.no("no loan: the node refused one for this task");
        if (!seen.mayBorrow()) return LoanCase.no("no loan: my credit score " + seen.creditScore() + " is below the pool's minimum");
        int percent = seen.collateralPercent();
        ModelTier lowest = seen.offers().stream().map(Offer::tier).min(Comparator.naturalOrder()).orElseThrow();
        if (ideal.offer().tier().compareTo(lowest) <= 0) {
            return LoanCase.no("no loan: a loan buys a better tier, and the " + describe(ideal).substring(4)
                    + " is the lowest on offer; earnings pay for it");
        }
        if (percent >= 100) {
            return LoanCase.no("no loan: my credit needs " + percent + "% collateral, so borrowing " + cu(shortfall) + " CU locks "
                    + cu(collateral(shortfall, percent)) + " CU and leaves less to spend, not more");
        }
        long amount = Math.ceilDiv(Math.multiplyExact(shortfall, 100L), 100L - percent);
        while (amount - collateral(amount, percent) < shortfall) amount++;
        long collateral = collateral(amount, percent);
        if (collateral > seen.available()) {
            return LoanCase.no("no loan: " + cu(amount) + " CU needs " + cu(collateral) + " CU of collateral and I have "
                    + cu(seen.available()));
        }
        if (amount > seen.poolCash()) return LoanCase.no("no loan: the pool has " + cu(seen.poolCash()) + " CU to lend");
        int term = Math.min(settings.loanTermDays(), seen.maxTermDays());
        long interest = Math.ceilDiv(Math.multiplyExact(Math.multiplyExact(amount, (long) seen.rateBps()), (long) term),
                10_000L * DAYS_PER_YEAR);
        List<Task> window = new ArrayList<>();
        window.add(task);
        window.addAll(ahead.subList(0, Math.min(ahead.size(), settings.lookahead() - 1)));
        long gain = 0;
        for (Task t : window) gain += Math.max(0, net(ideal.offer(), t) - fallback.map(f -> net(f.offer(), t)).orElse(0L));
        String tier = describe(ideal);
        if (gain <= interest) {
            return LoanCase.no("no loan: " + tier + " earns " + cu(gain) + " CU more on the next " + window.size()
                    + " orders, not more than the " + cu(interest) + " CU of interest");
        }
        String times = interest == 0 ? "at no interest" : gain * 10 / interest / 10 + "." + gain * 10 / interest % 10 + "x the interest";
        return new LoanCase(Decision.borrow(amount, collateral, term, "borrow " + cu(amount) + " CU at " + percent(seen.rateBps())
                + " for " + term + " days against " + cu(collateral) + " CU (" + percent + "%): " + tier + " earns " + cu(gain)
                + " CU more on the next " + window.size() + " orders than it costs, " + times), "");
    }

    private static long net(Offer offer, Task task) {
        return task.valueAt(offer.tier()) - offer.worstCase(task);
    }

    static long collateral(long amount, int percent) {
        return Math.ceilDiv(Math.multiplyExact(amount, (long) percent), 100L);
    }

    private static String describe(Priced p) {
        return "the " + p.offer().tier().name().toLowerCase(java.util.Locale.ROOT) + " tier";
    }

    /** CU without trailing zeros: 12, 0.045. */
    static String cu(long micro) {
        return new java.math.BigDecimal(Cu.format(micro)).stripTrailingZeros().toPlainString();
    }

    static String percent(int bps) {
        return bps % 100 == 0 ? bps / 100 + "%" : bps / 100 + "." + String.format("%02d", bps % 100).replaceAll("0$", "") + "%";
    }

    private static long hours(long millis) {
        return Math.max(0, millis / 3_600_000L);
    }
}
