package dev.forge.node;

import java.net.BindException;

/** A node that could not start, said in one or two lines: what is wrong, then what to do. */
final class StartupFailure {
    private StartupFailure() {
    }

    static String describe(Throwable failure) {
        Throwable root = rootCause(failure);
        Throwable ours = deepestForgeCause(failure);
        Throwable told = ours != null ? ours : root;
        String what = firstLine(told.getMessage() == null ? told.getClass().getSimpleName() : told.getMessage());
        // A refusal of Forge's own says what to do after its last "; ": the two lines split there.
        int split = told instanceof NodeStartException ? what.lastIndexOf("; ") : -1;
        if (split > 0) return "forge node: cannot start: " + what.substring(0, split) + "\n  " + what.substring(split + 2);
        return "forge node: cannot start: " + what + "\n  " + advice(failure, root);
    }

    private static String advice(Throwable failure, Throwable root) {
        if (causedBy(failure, dev.forge.inference.InferenceException.class)) {
            return "give --model a model folder (config.json, model.safetensors, tokenizer.json) or a catalog name from ./forge models";
        }
        if (root.getClass().getName().endsWith("FileLocked")) {
            return "another node is running on this data folder: stop it, or give this one another --data";
        }
        if (root instanceof BindException || String.valueOf(root.getMessage()).contains("Port")) {
            return "the port is taken: stop what listens there, or give --port another one";
        }
        return "run again with --debug (or FORGE_DEBUG=1) for the stack trace";
    }

    private static String firstLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /** Forge's own exceptions say what is wrong in its terms (the ledger in DIR is in use), not MapDB's. */
    private static Throwable deepestForgeCause(Throwable failure) {
        Throwable found = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getClass().getName().startsWith("dev.forge.")) found = t;
        }
        return found;
    }

    private static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root;
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return true;
        }
        return false;
    }
}
