package dev.forge.grid;

import io.nats.client.Connection;
import java.time.Duration;
import java.util.List;

/**
 * The other party of {@link ChatOverhead}, in its own process: answers every request on a
 * subject with the bytes it got, until it is killed. Prints {@code ready} once subscribed.
 * Arguments: NATS URL, subject.
 */
public final class EchoResponder {
    private EchoResponder() {}

    public static void main(String[] args) throws Exception {
        try (Connection connection = GridConnection.connect(List.of(args[0]), "echo")) {
            var dispatcher = connection.createDispatcher(message -> connection.publish(message.getReplyTo(), message.getData()));
            dispatcher.subscribe(args[1]);
            connection.flush(Duration.ofSeconds(10));
            System.out.println("ready");
            System.out.flush();
            Thread.currentThread().join();
        }
    }
}
