/**
 * An agent that manages its own compute on a Forge node, reaching the node only through MCP
 * (LangChain4j's client over Streamable HTTP, with the agent's bearer token). It keeps its own
 * Ed25519 key in its own folder and signs its own work orders; it works through a queue of
 * tasks, observing its balance, the prices, its credit and the pool before each step; a
 * {@link dev.forge.agent.Planner} decides and explains, a {@link dev.forge.agent.Guard} holds it
 * to its own ceilings whatever the planner says, refusals make it wait, downgrade or stop, and
 * every step goes to its {@link dev.forge.agent.Journal}. See docs/agents.md.
 */
package dev.forge.agent;
