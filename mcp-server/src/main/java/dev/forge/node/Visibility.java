package dev.forge.node;

import dev.forge.node.app.CallRefused;
import dev.forge.policies.Actor;
import java.util.Optional;

/**
 * Who may read an account: its agent, and the operator. Asking for another agent's account gets
 * the same answer whether it exists or not, so that the answer does not tell which accounts exist.
 */
public final class Visibility {
    private Visibility() {}

    /** Call before looking the account up; refuses with {@code unauthorized} for anyone else's. */
    public static String requireVisible(Actor actor, String account) {
        return requireVisible(actor, account, Optional.empty());
    }

    /** As {@link #requireVisible(Actor, String)}; an agent also sees its registered key's account, {@code ownKeyAccount}. */
    public static String requireVisible(Actor actor, String account, Optional<String> ownKeyAccount) {
        boolean own = actor.mayActFor(account) || ownKeyAccount.filter(account::equals).isPresent();
        if (!own) throw new CallRefused("unauthorized", "an agent sees only its own account");
        return account;
    }
}
