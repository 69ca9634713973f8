package dev.forge.agent;

/**
 * One of the agent's loans as the node's {@code loans} tool shows it.
 *
 * @param owed µCU owed now (principal and interest)
 * @param dueAt epoch ms when the term ends
 */
public record Loan(String id, String status, long principal, long owed, long collateral, long dueAt) {
    public boolean active() {
        return status.equals("active");
    }
}
