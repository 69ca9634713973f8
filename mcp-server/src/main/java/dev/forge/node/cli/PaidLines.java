package dev.forge.node.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The provider runtime's status lines, passed on to stderr and read for what each settled
 * delivery was paid ("forge provide: order N settled: …, paid X CU, …"): the agent's earnings,
 * without reaching into the provider's classes.
 */
public final class PaidLines extends OutputStream {
    private static final Pattern PAID = Pattern.compile("^forge provide: order \\d+ settled: .*, paid ([0-9]{1,12}(\\.[0-9]{1,6})?) CU.*");
    private final PrintStream out;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final AtomicLong total = new AtomicLong();

    public PaidLines(PrintStream out) {
        this.out = out;
    }

    public PrintStream stream() {
        return new PrintStream(this, true, StandardCharsets.UTF_8);
    }

    public long total() {
        return total.get();
    }

    @Override
    public synchronized void write(int b) {
        if (b == '\n') {
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            out.println(text);
            Matcher m = PAID.matcher(text);
            if (m.matches()) total.addAndGet(dev.forge.economy.market.Cu.parse(m.group(1)));
        } else {
            line.write(b);
        }
    }
}
