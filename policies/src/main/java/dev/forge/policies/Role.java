package dev.forge.policies;

/** Who may do what: an agent spends and reads; only the operator steers. */
public enum Role {
    OPERATOR,
    AGENT
}
