package dev.forge.node.http;

/**
 * The bearer token of a request and the 401 that refuses it (RFC 6750): a missing token gets
 * a bare challenge, a wrong one {@code error="invalid_token"}, so a client can tell the two apart.
 */
final class Bearer {
    static final String REALM = "forge";

    private Bearer() {
    }

    /** The token after {@code Bearer }, or null. */
    static String token(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = authorization.substring(7).strip();
        return token.isEmpty() ? null : token;
    }

    /** The {@code WWW-Authenticate} value for a refused token (null when none was sent). */
    static String challenge(String token) {
        if (token == null) return "Bearer realm=\"" + REALM + "\"";
        return "Bearer realm=\"" + REALM + "\", error=\"invalid_token\", error_description=\"" + reason(token) + "\"";
    }

    /** Why the request is refused, in a sentence for the person setting up the client. */
    static String reason(String token) {
        return token == null ? "send Authorization: Bearer TOKEN (./forge account create NAME prints one)"
                : "this token is not valid on this node";
    }

    /** The JSON-RPC error MCP clients read (the id is null: the request was never parsed). */
    static String mcpBody(String token) {
        return HttpGuard.mcpError(-32001, "unauthorized: " + reason(token));
    }

    /** The REST error body, the same shape as every other refusal. */
    static String restBody(String token) {
        return dev.forge.node.mcp.Refused.of("unauthorized", reason(token), 401).json();
    }
}
