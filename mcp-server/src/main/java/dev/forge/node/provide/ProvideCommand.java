package dev.forge.node.provide;

import dev.forge.economy.market.Cu;
import dev.forge.economy.work.Attestation;
import dev.forge.inference.InferenceException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code forge provide}: its flags read strictly (each bad one a {@link ProviderException}
 * with code {@value #BAD_FLAG} and one sentence), then the {@link Provider} run until it stops.
 */
public final class ProvideCommand {
    public static final String BAD_FLAG = "bad_flag";
    private static final long POLL_MILLIS = 500;

    private ProvideCommand() {
    }

    public static Provider.Settings settings(String node, String token, Path tokenFile, Path model, Path folder, String port,
                                             String price, boolean once) {
        if (node == null) throw bad("provide needs --node URL (the node's address)");
        if (model == null) throw bad("provide needs --model DIR (the model folder to sell)");
        if (!Files.isDirectory(model)) throw bad("--model " + model + " is not a folder");
        return new Provider.Settings(nodeAddress(node), token(token, tokenFile), model, folder, port(port), price(price), once,
                POLL_MILLIS);
    }

    /** Starts the provider and serves until it stops (SIGTERM, or one order with {@code once}); returns the exit code. */
    public static int run(Provider.Settings settings, PrintStream status) throws InterruptedException {
        Provider provider;
        try {
            provider = Provider.start(settings, status, InstantSource.system());
        } catch (InferenceException e) {
            throw new ProviderException("not_a_model", "the model cannot be loaded: " + e.getMessage(), e);
        }
        var finished = new CountDownLatch(1);
        // SIGTERM: the order being served is finished and delivered first (a minute at most), then the process ends.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            provider.stop();
            try {
                finished.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try {
            return provider.serve();
        } finally {
            provider.close();
            finished.countDown();
        }
    }

    private static URI nodeAddress(String text) {
        try {
            URI uri = new URI(text);
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) return uri;
        } catch (java.net.URISyntaxException e) {
            // Said below, in the same words as any other bad address.
        }
        throw bad("--node must be an http(s) address like http://127.0.0.1:3000, not '" + text + "'");
    }

    private static String token(String token, Path tokenFile) {
        if (token != null && tokenFile != null) throw bad("give the token once: --token or --token-file, not both");
        if (token != null) {
            if (token.isBlank()) throw bad("--token is empty");
            return token.strip();
        }
        if (tokenFile == null) throw bad("provide acts as an agent: give its token with --token-file FILE (or --token)");
        try {
            String text = Files.readString(tokenFile).strip();
            if (text.isEmpty()) throw bad("the token file " + tokenFile + " is empty");
            return text;
        } catch (IOException e) {
            throw bad("cannot read the token file " + tokenFile + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static int port(String text) {
        if (text.matches("[0-9]{1,5}") && Integer.parseInt(text) <= 65_535) return Integer.parseInt(text);
        throw bad("--port must be 0 to 65535, not '" + text + "'");
    }

    private static long price(String text) {
        long price;
        try {
            price = Cu.parse(text);
        } catch (IllegalArgumentException e) {
            throw bad("--price-per-1k: " + e.getMessage());
        }
        if (price > Attestation.MAX_PRICE_PER_KILO_TOKEN) {
            throw bad("--price-per-1k is at most " + Cu.format(Attestation.MAX_PRICE_PER_KILO_TOKEN) + " CU");
        }
        return price;
    }

    private static ProviderException bad(String message) {
        return new ProviderException(BAD_FLAG, message);
    }
}
