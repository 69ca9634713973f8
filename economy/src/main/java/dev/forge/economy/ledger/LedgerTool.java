package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import dev.forge.economy.crypto.Sha256;
import dev.forge.economy.merkle.InclusionProof;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * {@code forge ledger}: look at a ledger folder from the command line until the node's CLI
 * takes over. {@code demo} settles signed trades, {@code check} replays and verifies the
 * whole ledger, {@code proof} prints and checks a trade's inclusion proof.
 */
public final class LedgerTool {
    private static final HexFormat HEX = HexFormat.of();
    private static final String USAGE = """
            usage: forge ledger demo  --data DIR [--trades N]   settle N signed trades (default 3)
                   forge ledger check --data DIR                replay, verify and summarize the ledger
                   forge ledger proof --data DIR --trade ID     print and verify a trade's Merkle proof""";

    private final PrintStream out;
    private final PrintStream err;

    LedgerTool(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        System.exit(new LedgerTool(System.out, System.err).runOrReport(args));
    }

    /** The exit status; a failure is reported in one line, never a stack trace, naming what is wrong. */
    int runOrReport(String[] args) {
        try {
            return run(args);
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            err.println("forge ledger: " + message.lines().findFirst().orElse(e.toString()));
            return 2;
        }
    }

    int run(String[] args) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(USAGE);
            return args.length == 0 ? 2 : 0;
        }
        Path data = Path.of(option(args, "--data", null));
        return switch (args[0]) {
            case "demo" -> demo(ledgerFolder(data).orElse(data), Integer.parseInt(option(args, "--trades", "3")));
            case "check" -> check(existingLedger(data));
            case "proof" -> proof(existingLedger(data), Long.parseLong(option(args, "--trade", null)));
            default -> throw new IllegalArgumentException("unknown command " + args[0] + "\n" + USAGE);
        };
    }

    /** The ledger in {@code data} itself, or in the {@code ledger} folder of a node's data folder. */
    static java.util.Optional<Path> ledgerFolder(Path data) {
        if (Files.isRegularFile(data.resolve(Journal.FILE_NAME))) return java.util.Optional.of(data);
        Path node = data.resolve("ledger");
        if (Files.isRegularFile(node.resolve(Journal.FILE_NAME))) return java.util.Optional.of(node);
        return java.util.Optional.empty();
    }

    /** Read-only commands open only a ledger that is there: they never create one. */
    private static Path existingLedger(Path data) {
        return ledgerFolder(data).orElseThrow(() -> new IllegalArgumentException("no ledger in " + data + " (neither "
                + data.resolve(Journal.FILE_NAME) + " nor " + data.resolve("ledger").resolve(Journal.FILE_NAME) + ")"));
    }

    private int demo(Path data, int trades) {
        if (trades < 1 || trades > 100_000) throw new IllegalArgumentException("--trades must be 1 to 100000");
        try (Ledger ledger = Ledger.open(data)) {
            Ed25519.KeyPair agentKey = key(data, "demo-agent");
            Ed25519.KeyPair nodeKey = key(data, "demo-node");
            ledger.openAccount(AccountSpec.agent("demo-agent", agentKey.publicKey()));
            ledger.openAccount(AccountSpec.provider("demo-node", nodeKey.publicKey()));
            long nonce = ledger.tradeCount() + 1;
            for (int i = 0; i < trades; i++, nonce++) {
                Trade trade = demoTrade(ledger, agentKey, nodeKey, nonce);
                out.printf("trade %d: demo-agent paid demo-node %s CU (transfer %d)%n",
                        trade.id(), cu(trade.amount()), trade.transferId());
            }
            summarize(ledger);
        }
        return 0;
    }

    /** The real flow of a chat: hold the maximum, sign both halves, settle for what was used. */
    private static Trade demoTrade(Ledger ledger, Ed25519.KeyPair agentKey, Ed25519.KeyPair nodeKey, long nonce) {
        long max = 2 * Limits.MICRO_PER_CU;
        Transfer hold = ledger.transfer(TransferRequest.hold("demo-hold-" + nonce, "demo-agent", "demo-node",
                max, 60_000, TransferCode.TRADE));
        long now = System.currentTimeMillis();
        var authorization = new Authorization("demo-agent", "demo-node", "demo", max,
                Sha256.hashText("Once upon a time #" + nonce), nonce, now + 60_000);
        byte[] consumerSignature = SignedTrade.authorize(authorization, agentKey);
        int promptTokens = 5, completionTokens = 40;
        long price = 25_000; // µCU per 1,000 tokens
        long amount = (promptTokens + completionTokens) * price / 1_000;
        var delivery = new Delivery(SignedTrade.authorizationDigest(authorization, consumerSignature), promptTokens,
                completionTokens, price, amount, Sha256.hashText("there was a little girl #" + nonce), now);
        return ledger.settle(SignedTrade.deliver(authorization, consumerSignature, delivery, nodeKey), hold.id());
    }

    private int check(Path data) {
        try (Ledger ledger = Ledger.open(data)) {
            out.println("ledger " + data + " replayed: every record chains, every rule re-applies, every signature verifies");
            summarize(ledger);
        }
        return 0;
    }

    private int proof(Path data, long tradeId) {
        try (Ledger ledger = Ledger.open(data)) {
            // A chat is settled work since chats became orders; older chats are trades. Both are leaves.
            byte[] leaf = ledger.trade(tradeId).map(Trade::leafHash)
                    .or(() -> ledger.settledWork(tradeId).map(SettledWork::leafHash))
                    .orElseThrow(() -> new IllegalArgumentException("no trade " + tradeId + " (there are " + ledger.logSize()
                            + ")"));
            byte[] root = ledger.merkleRoot();
            InclusionProof proof = ledger.proof(tradeId);
            out.println("trade      " + tradeId + " (leaf " + proof.leafIndex() + " of " + proof.treeSize() + ")");
            out.println("leaf hash  " + HEX.formatHex(leaf));
            for (String step : proof.pathHex()) out.println("path       " + step);
            out.println("root       " + HEX.formatHex(root));
            boolean ok = proof.verify(leaf, root);
            out.println("verifies   " + ok);
            return ok ? 0 : 1;
        }
    }

    private void summarize(Ledger ledger) {
        Invariants sums = ledger.invariants();
        // Chats settle as work since they became orders; a ledger from before holds chat trades.
        out.printf("accounts %d, transfers %d, trades %d, settled work %d, issued %s CU, balanced %s%n", sums.accounts(),
                ledger.transferCount(), ledger.tradeCount(), ledger.logSize() - ledger.tradeCount(), cu(sums.issued()), sums.hold());
        for (Account a : ledger.accounts()) {
            out.printf("  %-24s %-9s balance %s CU, available %s CU%n", a.id(), a.kind(), cu(a.balance()), cu(a.available()));
        }
        out.println("merkle root " + HEX.formatHex(ledger.merkleRoot()));
    }

    /** The demo's keys live beside the ledger, readable by the owner only. */
    private static Ed25519.KeyPair key(Path data, String name) {
        Path file = data.resolve("keys").resolve(name + ".key");
        try {
            if (Files.exists(file)) return Ed25519.fromSeed(HEX.parseHex(Files.readString(file).strip()));
            Files.createDirectories(file.getParent());
            byte[] seed = Ed25519.seed(new SecureRandom());
            Files.writeString(file, HEX.formatHex(seed));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return Ed25519.fromSeed(seed);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read or write the key " + file + ": " + e.getMessage());
        }
    }

    static String cu(long micro) {
        return java.math.BigDecimal.valueOf(micro, 6).stripTrailingZeros().toPlainString();
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 1; i < args.length - 1; i++) {
            if (args[i].equals(name)) return args[i + 1];
        }
        if (fallback == null) throw new IllegalArgumentException(name + " is required\n" + USAGE);
        return fallback;
    }
}
