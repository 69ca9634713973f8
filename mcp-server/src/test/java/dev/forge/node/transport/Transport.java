package dev.forge.node.transport;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.type.TypeFactory;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The two ways an MCP client reaches a node: Streamable HTTP to its {@code /mcp}, or stdio
 * through {@code ./forge mcp}, the relay process Claude Code and Cursor start. Either way the
 * client is the MCP Java SDK's, declares elicitation, and lets a {@link Person} answer.
 */
public enum Transport {
    HTTP {
        @Override
        McpClientTransport open(URI node, String token, List<String> stderr) {
            return HttpClientStreamableHttpTransport.builder(node.toString()).endpoint("/mcp").jsonMapper(MAPPER)
                    .customizeClient(c -> c.version(HttpClient.Version.HTTP_1_1))
                    .httpRequestCustomizer((request, method, uri, body, context) -> request.header("Authorization", "Bearer " + token))
                    .build();
        }
    },
    STDIO {
        @Override
        McpClientTransport open(URI node, String token, List<String> stderr) {
            var parameters = ServerParameters.builder(SCRIPT.toString())
                    .args("mcp", "--node", node.toString(), "--token-file", tokenFile(token).toString())
                    .env(Map.of("PATH", System.getenv("PATH"), "HOME", System.getProperty("user.home")))
                    .build();
            var transport = new StdioClientTransport(parameters, MAPPER);
            transport.setStdErrorHandler(stderr::add);
            return transport;
        }
    };

    /** The repository's launcher: {@code forge mcp} runs from the packaged node, as a user's client starts it. */
    static final Path SCRIPT = Path.of("").toAbsolutePath().getParent().resolve("forge");
    /**
     * Resolves the SDK's types by the SDK's own class loader: the HTTP client reads on threads whose
     * context class loader is not the test's under Quarkus, and Jackson would find another copy.
     */
    private static final JacksonMcpJsonMapper MAPPER = new JacksonMcpJsonMapper(new ObjectMapper()
            .setTypeFactory(TypeFactory.defaultInstance().withClassLoader(McpSchema.class.getClassLoader())));
    /** Generous: a relay is a JVM that starts on a loaded machine, and a chat is real inference. */
    private static final Duration PATIENCE = Duration.ofMinutes(3);

    abstract McpClientTransport open(URI node, String token, List<String> stderr);

    /** An initialized client session acting as the token's agent; the relay's stderr (if any) goes to {@code stderr}. */
    public McpSyncClient connect(URI node, String token, Person person, List<String> stderr) {
        McpSyncClient client = McpClient.sync(open(node, token, stderr))
                .clientInfo(new McpSchema.Implementation("forge-transport-test", "1"))
                .requestTimeout(PATIENCE).initializationTimeout(PATIENCE)
                .capabilities(McpSchema.ClientCapabilities.builder().elicitation().build())
                .elicitation(person::answer)
                .progressConsumer(person::progress)
                .build();
        client.initialize();
        return client;
    }

    /** The token in a file only its owner reads, for {@code --token-file} (a token on the command line shows in ps). */
    static Path tokenFile(String token) {
        try {
            Path file = Files.createTempFile("forge-token", "", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
