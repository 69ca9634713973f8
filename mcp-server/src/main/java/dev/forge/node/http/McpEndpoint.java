package dev.forge.node.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.forge.node.ForgeNode;
import dev.forge.node.mcp.ForgeMcp;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.DefaultServerTransportSecurityValidator;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.quarkus.arc.Arc;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Serves MCP over Streamable HTTP at {@code /mcp} with the MCP SDK's servlet transport,
 * behind the bearer-token filter; the SDK's validator refuses requests from a foreign Origin.
 */
@WebListener
public class McpEndpoint implements ServletContextListener {
    private McpSyncServer server;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ForgeNode node = Arc.container().instance(ForgeNode.class).get();
        String port = originPort();
        var transport = HttpServletStreamableServerTransportProvider.builder()
                .jsonMapper(new JacksonMcpJsonMapper(json()))
                .mcpEndpoint("/mcp")
                .maxRequestSize((int) HttpGuard.MCP_BODY) // also bounds chunked bodies, which declare no length
                .sessionSweepInterval(sessionIdle()) // the SDK drops idle sessions itself too
                .securityValidator(DefaultServerTransportSecurityValidator.builder()
                        .allowedOrigins(List.of("http://127.0.0.1:" + port, "http://localhost:" + port)).build())
                .contextExtractor(request -> McpTransportContext.create(Map.of(ForgeMcp.ACTOR,
                        request.getAttribute(ForgeMcp.ACTOR), ForgeMcp.CLIENT_GONE, ClientConnection.goneFor(request))))
                .build();
        var tools = node.tools();
        var texts = new dev.forge.node.mcp.PromptsAndResources(node);
        server = McpServer.sync(transport)
                .serverInfo("forge", "0.1.0")
                // A person answering an approval question (elicitation) needs minutes, not the SDK's default 10 s.
                .requestTimeout(java.time.Duration.ofMinutes(5))
                .instructions("Forge sells LLM inference for CU. Check balance and pricing, then chat; every spend "
                        + "passes a kill switch, budgets, velocity limits and human approval for large amounts.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(true).prompts(false).resources(false, false).build())
                // Forge checks arguments itself (Args), so that a bad one gets the stable code invalid_argument
                // in the same JSON error as every other refusal, not the SDK's free-text validation message.
                .validateToolInputs(false)
                .tools(tools.specifications())
                .prompts(texts.prompts())
                .resources(texts.resources())
                .build();
        var context = event.getServletContext();
        // In this order: who acts, how many of its requests hold a worker, whose session it is, and
        // only then the body's shape, which reads the body (a slow one must already count against its token).
        addFilter(context, "forge-auth", new BearerAuthFilter(node.identities()));
        addFilter(context, "forge-open-requests", new OpenRequests());
        addFilter(context, "forge-sessions", new SessionGuard(transport, sessionIdle()));
        addFilter(context, "forge-json-rpc-shape", new JsonRpcShape());
        var servlet = context.addServlet("mcp", transport);
        servlet.setAsyncSupported(true);
        servlet.addMapping("/mcp", "/mcp/*");
    }

    /**
     * JSON for the SDK, except that its protocol errors (an McpError, which is an exception) are
     * written as a JSON-RPC error: by default Jackson wrote the whole exception, a 14 KB stack trace.
     */
    private static ObjectMapper json() {
        var errors = new SimpleModule().addSerializer(McpError.class, new StdSerializer<>(McpError.class) {
            @Override
            public void serialize(McpError e, JsonGenerator out, SerializerProvider provider) throws IOException {
                var error = e.getJsonRpcError();
                String message = error != null && error.message() != null ? error.message() : "internal error";
                out.writeStartObject();
                out.writeStringField("jsonrpc", "2.0");
                out.writeNullField("id");
                out.writeObjectFieldStart("error");
                out.writeNumberField("code", error != null && error.code() != null ? error.code() : -32603);
                out.writeStringField("message", message.length() > 300 ? message.substring(0, 300) + "…" : message);
                out.writeEndObject();
                out.writeEndObject();
            }
        });
        return new ObjectMapper().registerModule(errors);
    }

    private static void addFilter(jakarta.servlet.ServletContext context, String name, jakarta.servlet.Filter filter) {
        var registration = context.addFilter(name, filter);
        registration.setAsyncSupported(true); // the transport streams responses asynchronously
        registration.addMappingForUrlPatterns(null, true, "/mcp", "/mcp/*");
    }

    /** The node's own port for the Origin check; a port chosen at random (tests) allows any loopback port. */
    private static String originPort() {
        var config = ConfigProvider.getConfig();
        boolean test = io.quarkus.runtime.LaunchMode.current() == io.quarkus.runtime.LaunchMode.TEST;
        int port = config.getOptionalValue(test ? "quarkus.http.test-port" : "quarkus.http.port", Integer.class).orElse(3000);
        return port == 0 ? "*" : String.valueOf(port);
    }

    /** How long an unused MCP session lives: a client idle this long re-initializes (MCP clients do on 404). */
    private static java.time.Duration sessionIdle() {
        return ConfigProvider.getConfig().getOptionalValue("forge.mcp.session-idle", java.time.Duration.class)
                .orElse(java.time.Duration.ofMinutes(30));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (server != null) server.closeGracefully();
    }
}
