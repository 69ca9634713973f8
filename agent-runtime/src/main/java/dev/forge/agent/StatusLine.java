package dev.forge.agent;

import dev.forge.economy.market.Cu;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The live status line on stderr: rewritten in place on a terminal, one line per step
 * otherwise (a log file or a test reads whole lines).
 */
final class StatusLine {
    private final PrintStream out;
    private final boolean terminal = System.console() != null;
    private String last = "";

    StatusLine(PrintStream out) {
        this.out = out;
    }

    void show(int task, int tasks, Snapshot s, long spent, Decision d) {
        last = "forge agent: task " + task + "/" + tasks + " | key " + Cu.format(s.spendable()) + " CU (earned "
                + Cu.format(s.earned()) + ") | agent " + Cu.format(s.available()) + " CU | loans " + s.activeLoans().size()
                + " | spent " + Cu.format(spent) + " | " + d.kind().name().toLowerCase(Locale.ROOT) + ": " + d.reason();
        print(last);
    }

    void waiting(String why) {
        print("forge agent: waiting: " + why);
    }

    void end(String line) {
        if (terminal) out.print("\r\u001b[K");
        out.println(line);
    }

    private void print(String line) {
        if (terminal) {
            out.print("\r\u001b[K" + (line.length() > 160 ? line.substring(0, 159) + "…" : line));
            out.flush();
        } else {
            out.println(line);
        }
    }
}
