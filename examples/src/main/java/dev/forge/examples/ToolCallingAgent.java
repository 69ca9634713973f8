package dev.forge.examples;

import dev.forge.agent.LlmPlanner;
import dev.langchain4j.mcp.McpToolProvider;
import dev.langchain4j.mcp.client.DefaultMcpClient;
import dev.langchain4j.mcp.client.McpClient;
import dev.langchain4j.mcp.client.transport.http.StreamableHttpMcpTransport;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.Result;
import java.time.Duration;
import java.util.Map;

/**
 * A LangChain4j tool-calling program on Forge: a model served by the node's OpenAI-compatible
 * {@code /v1} (OpenAiChatModel), given the node's read-only MCP tools (McpToolProvider,
 * filtered: never {@code kill} or a tool that spends). The model decides which tool to call,
 * LangChain4j runs it over MCP and hands the result back; each completion is paid for in CU.
 * The agent's token comes from FORGE_TOKEN.
 *
 * <pre>
 * ToolCallingAgent http://127.0.0.1:3000 MODEL "How much can I spend?"
 * </pre>
 */
public final class ToolCallingAgent {
    /** What LangChain4j implements: a question in, the answer and the tools run out. */
    interface Assistant {
        Result<String> ask(String question);
    }

    public static void main(String[] args) {
        String token = System.getenv("FORGE_TOKEN");
        if (args.length != 3 || token == null || token.isBlank()) {
            System.err.println("usage: FORGE_TOKEN=forge_ag_... ToolCallingAgent NODE_URL MODEL QUESTION");
            System.exit(2);
        }
        String node = args[0];
        var model = OpenAiChatModel.builder().baseUrl(node + "/v1").apiKey(token).modelName(args[1])
                .timeout(Duration.ofMinutes(2)).build();
        var transport = StreamableHttpMcpTransport.builder().url(node + "/mcp").setHttpVersion1_1()
                .customHeaders(Map.of("Authorization", "Bearer " + token)).timeout(Duration.ofMinutes(2)).build();
        try (McpClient forge = DefaultMcpClient.builder().transport(transport).clientName("forge-tool-calling").build()) {
            var tools = McpToolProvider.builder().mcpClients(forge).filterToolNames(LlmPlanner.TOOLS).build();
            Assistant assistant = AiServices.builder(Assistant.class).chatModel(model).toolProvider(tools)
                    .maxSequentialToolsInvocations(8).build();
            Result<String> answer = assistant.ask(args[2]);
            answer.toolExecutions().forEach(t -> System.out.println("tool " + t.request().name() + " "
                    + t.request().arguments() + " -> " + t.result()));
            System.out.println("answer: " + answer.content());
        } catch (Exception e) {
            System.err.println("tool-calling failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
