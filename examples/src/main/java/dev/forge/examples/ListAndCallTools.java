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
 * balance and the prices, and pays for one chat.
 *
 * <pre>
 * ./forge node --data ~/.forge/node &amp;
 * TOKEN=$(./forge account create example | grep token | cut -d'"' -f4)
 * ./mvnw -q -pl examples -am package -DskipTests
 * java -cp "examples/target/classes:$(./mvnw -q -pl examples dependency:build-classpath -Dmdep.outputFile=/dev/stdout)" \
 *     dev.forge.examples.ListAndCallTools http://127.0.0.1:3000/mcp "$TOKEN" stories260K
 * </pre>
 */
public final class ListAndCallTools {
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: ListAndCallTools MCP_URL TOKEN MODEL");
            System.exit(2);
        }
        var transport = StreamableHttpMcpTransport.builder().url(args[0]).setHttpVersion1_1()
                .customHeaders(Map.of("Authorization", "Bearer " + args[1])).timeout(Duration.ofMinutes(2)).build();
        try (McpClient forge = DefaultMcpClient.builder().transport(transport).clientName("forge-example").build()) {
            for (ToolSpecification tool : forge.listTools()) {
                System.out.println(tool.name() + ": " + tool.description());
            }
            System.out.println(call(forge, "balance", "{}"));
            System.out.println(call(forge, "pricing", "{\"model\":\"" + args[2] + "\",\"prompt_tokens\":5,\"max_tokens\":40}"));
            System.out.println(call(forge, "chat", "{\"model\":\"" + args[2] + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":40}"));
        }
    }

    private static String call(McpClient forge, String tool, String arguments) {
        return forge.executeTool(ToolExecutionRequest.builder().name(tool).arguments(arguments).build()).resultText();
    }
}
