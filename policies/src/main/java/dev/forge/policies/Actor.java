package dev.forge.policies;

/** Whoever makes a call: the identity the request's token resolved to. */
public record Actor(String id, Role role) {
    public Actor {
        if (id == null || id.isBlank()) throw new IllegalArgumentException("an actor needs an id");
        if (role == null) throw new IllegalArgumentException("an actor needs a role");
    }

    public static Actor operator() {
        return new Actor("operator", Role.OPERATOR);
    }

    public static Actor agent(String id) {
        return new Actor(id, Role.AGENT);
    }

    public boolean isOperator() {
        return role == Role.OPERATOR;
    }

    /** The operator acts for everyone; an agent only for itself. */
    public boolean mayActFor(String agent) {
        return isOperator() || id.equals(agent);
    }
}
