/**
 * The node's MCP behaviour written once and run over both transports, as the MCP Java SDK tests
 * its own: {@link dev.forge.node.transport.Transport} gives the SDK's client over Streamable HTTP
 * or through a real {@code ./forge mcp} relay process, {@link dev.forge.node.transport.Person} is
 * who answers its elicitations, and {@code McpTransportsIT} runs each test once per transport
 * against the shared test node. {@code StdioRelayWireIT} reads the relay's stdout itself, where
 * an SDK client would hide the order of messages.
 */
package dev.forge.node.transport;
