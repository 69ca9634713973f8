package dev.forge.policies;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * One agent's recent spending: what it reserved or spent in the last hour (rolling) and
 * minute (sliding), over its lifetime, and whether its velocity breaker is tripped.
 *
 * <p>Callers hold the window's lock across check and reserve, so concurrent spends by the same
 * agent can never together pass a limit.
 */
final class AgentWindow {
    static final long HOUR = 3_600_000L;
    static final long MINUTE = 60_000L;

    /** A reservation or spend; its amount shrinks to the real cost when settled. */
    static final class Charge {
        final long time;
        long amount;
        boolean inHour = true;
        boolean inMinute = true;

        Charge(long time, long amount) {
            this.time = time;
            this.amount = amount;
        }
    }

    private final Deque<Charge> hour = new ArrayDeque<>();
    private final Deque<Charge> minute = new ArrayDeque<>();
    private long hourSum;
    private long minuteSum;
    private long lifetime;
    private long trippedUntil;

    long spentInHour(long now) {
        slide(now);
        return hourSum;
    }

    long spentInLifetime() {
        return lifetime;
    }

    int spendsInMinute(long now) {
        slide(now);
        return minute.size();
    }

    long amountInMinute(long now) {
        slide(now);
        return minuteSum;
    }

    boolean tripped(long now) {
        return now < trippedUntil;
    }

    long trippedUntil() {
        return trippedUntil;
    }

    void trip(long until) {
        trippedUntil = until;
    }

    void resetVelocity() {
        trippedUntil = 0;
        minute.forEach(charge -> charge.inMinute = false);
        minute.clear();
        minuteSum = 0;
    }

    Charge reserve(long now, long amount) {
        var charge = new Charge(now, amount);
        hour.addLast(charge);
        minute.addLast(charge);
        hourSum += amount;
        minuteSum += amount;
        lifetime += amount;
        return charge;
    }

    /** Rebuilds history on start: a charge at its original time, counted only if still recent. */
    void restore(long time, long amount, long now) {
        lifetime += amount;
        if (time > now - HOUR) {
            var charge = new Charge(time, amount);
            charge.inMinute = false; // restored history only matters to the hour and the lifetime
            hour.addLast(charge);
            hourSum += amount;
        }
    }

    /** A reservation became a real cost (at most the reservation) or nothing (zero). */
    void settle(Charge charge, long actual) {
        long released = charge.amount - actual;
        if (released < 0) throw new IllegalArgumentException("a spend cannot cost more than it reserved");
        lifetime -= released;
        if (charge.inHour) hourSum -= released;
        if (charge.inMinute) minuteSum -= released;
        charge.amount = actual;
    }

    private void slide(long now) {
        while (!hour.isEmpty() && hour.peekFirst().time <= now - HOUR) {
            Charge old = hour.pollFirst();
            old.inHour = false;
            hourSum -= old.amount;
        }
        while (!minute.isEmpty() && minute.peekFirst().time <= now - MINUTE) {
            Charge old = minute.pollFirst();
            old.inMinute = false;
            minuteSum -= old.amount;
        }
    }
}
