package dev.forge.node.http;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import dev.forge.economy.market.Cu;
import dev.forge.economy.statement.Statement;
import dev.forge.node.ForgeNode;
import dev.forge.node.PriceHistory;
import dev.forge.node.app.AccountService;
import dev.forge.node.app.Amount;
import dev.forge.node.app.StatementView;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import jakarta.inject.Inject;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** What the operator's page shows: every account, the price history, and signed statements (JSON or CSV). */
@Path("/v1/forge")
public class OperatorViews {
    private static final HexFormat HEX = HexFormat.of();

    @Inject
    ForgeNode node;

    @Inject
    PriceHistory history;

    @GET
    @Path("/accounts")
    @Produces(MediaType.APPLICATION_JSON)
    public List<AccountService.AccountView> accounts(@Context ContainerRequestContext context) {
        return node.accounts().accounts(ApiAuth.actor(context));
    }

    public record PricePoint(
            @JsonPropertyDescription("when it was sampled, ms since the epoch") long at,
            @JsonPropertyDescription("each tier's price per 1,000 tokens then") Map<String, Amount> prices) {
        static PricePoint of(PriceHistory.Point point) {
            Map<String, Amount> prices = new LinkedHashMap<>();
            point.prices().forEach(t -> prices.put(t.tier().name().toLowerCase(Locale.ROOT), Amount.of(t.pricePerKiloToken())));
            return new PricePoint(point.at(), prices);
        }
    }

    /** The tier prices sampled every few seconds, oldest first, for the page's chart. */
    @GET
    @Path("/pricing/history")
    @Produces(MediaType.APPLICATION_JSON)
    public List<PricePoint> priceHistory() {
        return history.points().stream().map(PricePoint::of).toList();
    }

    /** A signed statement for [from, to) (epoch ms; default the last 24 hours), as JSON or CSV. */
    @GET
    @Path("/statement")
    public Response statement(@QueryParam("account") String account, @QueryParam("from") Long from, @QueryParam("to") Long to,
                              @QueryParam("format") @DefaultValue("json") String format,
                              @Context ContainerRequestContext context) {
        Actor actor = ApiAuth.actor(context);
        String who = account != null ? account : actor.id();
        PolicyException.require(actor.mayActFor(who), Refusal.UNAUTHORIZED, "an agent sees only its own statement");
        long end = to != null ? to : System.currentTimeMillis() + 1;
        Statement s = node.statements().statement(who, from != null ? from : end - 86_400_000L, end);
        String name = "forge-statement-" + who + "-" + s.from() + "-" + s.to();
        if (format.equals("csv")) {
            return Response.ok(csv(s), "text/csv").header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").build();
        }
        if (!format.equals("json")) throw new IllegalArgumentException("format is json or csv");
        return Response.ok(StatementView.of(s), MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"" + name + ".json\"").build();
    }

    /** Entries as rows; the totals, root and node signature as leading comment lines. */
    static String csv(Statement s) {
        String header = "# forge statement for " + s.account() + ", " + s.from() + " to " + s.to() + "\n"
                + "# opening " + Cu.format(s.opening()) + " CU, credits " + Cu.format(s.credits()) + " CU, debits "
                + Cu.format(s.debits()) + " CU, closing " + Cu.format(s.closing()) + " CU\n"
                + "# merkle root " + HEX.formatHex(s.merkleRoot()) + " over " + s.treeSize() + " trades\n"
                + "# node key " + HEX.formatHex(s.nodeKey()) + "\n"
                + "# signature " + HEX.formatHex(s.signature()) + " (Ed25519 over the statement's canonical bytes)\n"
                + "transfer_id,at,phase,counterparty,amount_cu,change_cu,code\n";
        return header + s.entries().stream().map(e -> e.transferId() + "," + e.timestamp() + "," + e.phase() + ","
                + e.counterparty() + "," + Cu.format(e.amount()) + "," + Cu.format(e.change()) + "," + e.code())
                .collect(Collectors.joining("\n", "", "\n"));
    }
}
