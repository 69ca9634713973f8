package dev.forge.node.http;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.grid.PeerBalances;
import dev.forge.grid.PeerStatement;
import dev.forge.node.ForgeNode;
import dev.forge.node.app.Amount;
import dev.forge.node.app.CallRefused;
import dev.forge.node.app.SignedAmount;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.node.mcp.Refused;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/** Money between nodes over REST (docs/grid.md, "Money between nodes"): this node's signed statement with one peer. */
@Path("/v1/forge")
public class GridResource {
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    ForgeNode node;

    public record GridStatementRequest(
            @Pattern(regexp = "^node-[0-9a-f]{40}$") @JsonPropertyDescription("the peer: node- and 40 lowercase hex digits")
            String peer) {
    }

    public record PeerStatementView(
            @JsonPropertyDescription("forge/peer-statement/v1") String tag,
            @JsonPropertyDescription("this node, which signed it") String issuer,
            @JsonPropertyDescription("hex Ed25519 key of the issuer: its SHA-256 names the issuer id") String issuerKey,
            @JsonPropertyDescription("the peer") String peer,
            @JsonPropertyDescription("what the issuer owes the peer, as the issuer's log records") Amount owesCu,
            @JsonPropertyDescription("what the peer owes the issuer, as the issuer's log records") Amount owedCu,
            @JsonPropertyDescription("what the issuer owes the peer, as the peer's log records") Amount peerSaysOwesCu,
            @JsonPropertyDescription("what the peer owes the issuer, as the peer's log records") Amount peerSaysOwedCu,
            @JsonPropertyDescription("owes minus owed, as the issuer's log records") SignedAmount netCu,
            @JsonPropertyDescription("whether both logs record the same sums") boolean agree,
            @JsonPropertyDescription("entries of the issuer's log it was computed at") long issuerLogSize,
            @JsonPropertyDescription("hex root of the issuer's log at that size") String issuerLogRoot,
            @JsonPropertyDescription("entries of the peer's log it was computed at (as applied here)") long peerLogSize,
            @JsonPropertyDescription("hex root of the peer's log at that size") String peerLogRoot,
            @JsonPropertyDescription("hex grid root at that moment") String gridRoot,
            @JsonPropertyDescription("when it was signed, ms since the epoch") long issuedAt,
            @JsonPropertyDescription("hex Ed25519 signature of the issuer key over the canonical bytes but the signature")
            String signature,
            @JsonPropertyDescription("the whole canonical record (docs/grid.md), signature last, base64") String canonical) {
        static PeerStatementView of(PeerStatement s) {
            return new PeerStatementView(PeerStatement.TAG, s.issuer(), HEX.formatHex(s.issuerKey()), s.peer(),
                    Amount.of(s.issuerSays().owes()), Amount.of(s.issuerSays().owed()), Amount.of(s.peerSays().owes()),
                    Amount.of(s.peerSays().owed()), SignedAmount.of(Math.subtractExact(s.issuerSays().owes(), s.issuerSays().owed())), s.agree(),
                    s.issuerLogSize(), HEX.formatHex(s.issuerLogRoot()), s.peerLogSize(), HEX.formatHex(s.peerLogRoot()),
                    HEX.formatHex(s.gridRoot()), s.issuedAt(), HEX.formatHex(s.signature()),
                    Base64.getEncoder().encodeToString(s.encode()));
        }
    }

    /** Any valid token may ask: the statement says only what every grid node's applier can derive. */
    @GET
    @Path("/grid/statement")
    @Produces(MediaType.APPLICATION_JSON)
    public PeerStatementView statement(@Context UriInfo uri) {
        Map<String, String> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> {
            if (values.size() != 1) throw CallRefused.invalid("give '" + shown(name) + "' once");
            query.put(name, values.getFirst());
        });
        GridStatementRequest request = ForgeMcp.readText(GridStatementRequest.class, query);
        if (request.peer() == null || !PeerBalances.isNodeId(request.peer())) {
            throw CallRefused.invalid("give the peer's node id: ?peer=node- and 40 lowercase hex digits");
        }
        var grid = node.grid().orElseThrow(() -> refusal("grid_off", "this node is on no grid (start it with --grid)"));
        if (request.peer().equals(grid.nodeId())) throw CallRefused.invalid("a statement is with another node, not this one");
        return grid.statement(request.peer()).map(PeerStatementView::of)
                .orElseThrow(() -> new CallRefused("not_found", "this node has seen no node " + request.peer()
                        + " on the grid (no log applied, none naming it, no live offer)"));
    }

    private static String shown(String name) {
        return name.length() <= 32 && name.matches("[A-Za-z0-9_]*") ? name : "…";
    }

    /** A refusal with a status of its own (404), in the same JSON shape as every other. */
    private static WebApplicationException refusal(String code, String message) {
        return new WebApplicationException(Response.status(404).type(MediaType.APPLICATION_JSON)
                .entity(Refused.of(code, message, 404).body()).build());
    }
}
