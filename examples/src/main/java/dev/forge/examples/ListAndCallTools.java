package dev.forge.examples;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import java.time.Duration;
import java.util.Map;

/**
 * A LangChain4j program that uses a Forge node as its MCP server: lists the tools, checks the
 * balance and the prices, and pays for one chat. The agent's token comes from FORGE_TOKEN.
 *
 * <pre>
 * ./forge node &amp;
 * export FORGE_TOKEN=$(./forge account create example | grep token | cut -d'"' -f4)
 * ./forge example langchain4j                      # default: http://127.0.0.1:3000/mcp stories260K
 * </pre>
 */
public final class ListAndCallTools {
    static final String DEFAULT_URL = "http://127.0.0.1:3000/mcp";
    static final String DEFAULT_MODEL = "stories260K";

    public static void main(String[] args) throws Exception {
        String token = System.getenv("FORGE_TOKEN");
        if (args.length > 2 || token == null || token.isBlank()) {
            System.err.println("usage: FORGE_TOKEN=forge_ag_... ListAndCallTools [MCP_URL [MODEL]]");
            System.exit(2);
        }
        run(args.length > 0 ? args[0] : DEFAULT_URL, token, args.length > 1 ? args[1] : DEFAULT_MODEL);
    }

    static void run(String url, String token, String model) throws Exception {
        var transport = StreamableHttpMcpTransport.builder().url(url).setHttpVersion1_1()
                .customHeaders(Map.of("Authorization", "Bearer " + token)).timeout(Duration.ofMinutes(2)).build();
        try (McpClient forge = DefaultMcpClient.builder().transport(transport).clientName("forge-example").build()) {
            for (ToolSpecification tool : forge.listTools()) {
                System.out.println(tool.name() + ": " + tool.description());
            }
            System.out.println(call(forge, "balance", "{}"));
            System.out.println(call(forge, "pricing", "{\"model\":\"" + model + "\",\"prompt_tokens\":5,\"max_tokens\":40}"));
            System.out.println(call(forge, "chat", "{\"model\":\"" + model + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":40}"));
        }
    }

    private static String call(McpClient forge, String tool, String arguments) {
        return forge.executeTool(ToolExecutionRequest.builder().name(tool).arguments(arguments).build()).resultText();
    }
}
