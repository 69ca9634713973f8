package dev.forge.node.cli;

import dev.forge.node.Identities;
import dev.forge.node.StartupReport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Where the node is and who we are to it, shared by every command. The node is found from
 * {@code --node}, else from the address a running node wrote in {@code --data}, else port 3000.
 * The token is {@code --token}, else {@code --token-file}, else {@code FORGE_TOKEN}, else the
 * operator token in {@code --data}.
 */
final class Connection {
    static final String DEFAULT_NODE = "http://127.0.0.1:3000";
    static final String TOKEN_VARIABLE = "FORGE_TOKEN";

    @Option(names = "--node", paramLabel = "URL",
            description = "the node's address (default: the one a running node wrote in --data, else " + DEFAULT_NODE + ")")
    URI node;

    @Option(names = "--data", paramLabel = "DIR", description = "the node's data folder (default: ${DEFAULT-VALUE})",
            defaultValue = "${sys:user.home}/.forge/node")
    Path data;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the API token (preferred)")
    Path tokenFile;

    @Option(names = "--token", paramLabel = "TOKEN",
            description = "an API token; visible to every local user (ps): prefer --token-file or the FORGE_TOKEN variable")
    String token;

    /** The address: --node, else DIR/node.address, else the default port. */
    URI node() {
        if (node != null) return node;
        return recordedAddress().orElse(URI.create(DEFAULT_NODE));
    }

    Optional<URI> recordedAddress() {
        Path file = data.resolve(StartupReport.ADDRESS_FILE);
        try {
            return Files.exists(file) ? Optional.of(URI.create(Files.readString(file).strip())) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    NodeClient client() {
        return new NodeClient(node(), token());
    }

    /** POSTs to the node and prints its answer. */
    int post(String path, Object body) throws Exception {
        System.out.println(NodeClient.pretty(client().post(path, body)));
        return 0;
    }

    /** A token given for this call (flag, file or variable), if any: never the operator's file. */
    Optional<String> givenToken() {
        if (token != null) return Optional.of(token);
        if (tokenFile != null) return Optional.of(readTokenFile());
        String variable = System.getenv(TOKEN_VARIABLE);
        return variable == null || variable.isBlank() ? Optional.empty() : Optional.of(variable.strip());
    }

    String token() {
        return givenToken().orElseGet(this::operatorToken);
    }

    /** For commands that act as an agent: the operator's own token is not a fallback. */
    String agentToken(String command) {
        return givenToken().orElseThrow(() -> new CliException(command + " acts as an agent: give its token with --token-file FILE"
                + " or " + TOKEN_VARIABLE + " (or --token)"));
    }

    private String readTokenFile() {
        try {
            String text = Files.readString(tokenFile).strip();
            if (text.isEmpty()) throw new CliException("the token file " + tokenFile + " is empty");
            return text;
        } catch (IOException e) {
            throw new CliException("cannot read the token file " + tokenFile + " (" + e.getClass().getSimpleName() + ")");
        }
    }

    private String operatorToken() {
        try {
            return Identities.operatorToken(data);
        } catch (IOException e) {
            throw new CliException("no token given and no operator token in " + data + " (has a node started there? else give --data)");
        }
    }
}
