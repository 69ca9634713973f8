package dev.forge.economy.ledger;

import dev.forge.economy.crypto.Ed25519;
import java.util.Arrays;

/**
 * A request to open an account.
 *
 * @param id 1 to 64 characters from {@code [A-Za-z0-9._:-]}, not starting with '.' (so that no id is
 *     {@code .} or {@code ..}, or a hidden or temporary file's name, when an id names a file)
 * @param publicKey the owner's Ed25519 public key, or an empty array for a system account
 */
public record AccountSpec(String id, AccountKind kind, byte[] publicKey) {
    public static final int MAX_ID_LENGTH = 64;
    /** How a ledger names the account of another grid node. */
    public static final String PEER_PREFIX = "peer:";

    public AccountSpec {
        LedgerException.require(validId(id), LedgerError.INVALID_ACCOUNT_ID,
                "account id must be 1-64 characters of A-Z a-z 0-9 . _ : - not starting with '.', got " + Limits.quote(id));
        LedgerException.require(kind != null, LedgerError.INVALID_ARGUMENT, "account kind is required");
        publicKey = publicKey == null ? new byte[0] : publicKey.clone();
        LedgerException.require(publicKey.length == 0 || publicKey.length == Ed25519.PUBLIC_KEY_SIZE,
                LedgerError.INVALID_PUBLIC_KEY, "public key must be 32 bytes, got " + publicKey.length);
        LedgerException.require(!(kind == AccountKind.AGENT || kind == AccountKind.PROVIDER || kind == AccountKind.PEER)
                        || publicKey.length > 0,
                LedgerError.INVALID_PUBLIC_KEY, kind + " accounts need an Ed25519 public key to sign trades");
    }

    public static AccountSpec agent(String id, byte[] publicKey) {
        return new AccountSpec(id, AccountKind.AGENT, publicKey);
    }

    public static AccountSpec provider(String id, byte[] publicKey) {
        return new AccountSpec(id, AccountKind.PROVIDER, publicKey);
    }

    /** The account of another grid node: {@value #PEER_PREFIX} and its node id, with the node key that id names. */
    public static AccountSpec peer(String nodeId, byte[] nodeKey) {
        return new AccountSpec(PEER_PREFIX + nodeId, AccountKind.PEER, nodeKey);
    }

    public static AccountSpec system(String id, AccountKind kind) {
        return new AccountSpec(id, kind, new byte[0]);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    public static boolean validId(String id) {
        if (id == null || id.isEmpty() || id.length() > MAX_ID_LENGTH || id.startsWith(".")) return false;
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            if (!ok) return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof AccountSpec s && id.equals(s.id) && kind == s.kind && Arrays.equals(publicKey, s.publicKey);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }
}
