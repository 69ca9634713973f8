package dev.forge.grid;

/**
 * Why an applier refused a grid entry. Each code has one meaning; every refusal is recorded
 * as {@link GridEvidence} and changes nothing else.
 */
public enum GridRefusal {
    /** The message is not a canonical {@code forge/grid-entry/v1}, or is larger than the limit. */
    MALFORMED_ENTRY("malformed_entry"),
    /** The subject is not {@code forge.grid.log.<node id>} of the entry's node. */
    WRONG_SUBJECT("wrong_subject"),
    /**
     * A signature fails: the entry's, its tree head's, a trade's consumer or provider, a work
     * order's or an attestation's; or the node key is not the one the node id names.
     */
    FORGED_SIGNATURE("forged_signature"),
    /**
     * An entry of this node at this index was applied before, with the same digest; or the
     * entry's attestation is at or before its provider's last applied one.
     */
    DUPLICATE("duplicate"),
    /** The index is beyond the next one the node's log expects (or an attestation's beyond its provider's): entries are missing. */
    SEQUENCE_GAP("sequence_gap"),
    /** The previous digest is not the digest of the node's last applied entry. */
    CHAIN_BROKEN("chain_broken"),
    /** A second, validly signed entry for an index already applied: two heads for one size. */
    EQUIVOCATION("equivocation"),
    /**
     * The record does not hold together: the delivery is not bound to the authorization, an
     * attestation does not answer its order, the record id is not the index + 1, or the tree
     * head is not the root of the log with this entry.
     */
    BINDING_MISMATCH("binding_mismatch"),
    /** The node was caught equivocating before: nothing more of it is applied. */
    PROVIDER_UNVERIFIABLE("provider_unverifiable");

    private final String code;

    GridRefusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }

    public static GridRefusal ofCode(String code) {
        for (GridRefusal refusal : values()) if (refusal.code.equals(code)) return refusal;
        throw new IllegalArgumentException("unknown refusal " + code);
    }
}
