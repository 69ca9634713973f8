package dev.forge.node.http;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.forge.economy.ledger.AccountSpec;
import dev.forge.economy.market.Cu;
import dev.forge.economy.statement.Statement;
import dev.forge.node.ForgeNode;
import dev.forge.node.PriceHistory;
import dev.forge.node.app.AccountService;
import dev.forge.node.app.Amount;
import dev.forge.node.app.StatementView;
import dev.forge.node.mcp.ForgeMcp;
import dev.forge.policies.Actor;
import dev.forge.policies.PolicyException;
import dev.forge.policies.Refusal;
import jakarta.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
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

    public enum Format {
        JSON, CSV;

        @JsonValue
        public String code() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public record StatementRequest(
            @Nullable @Size(min = 1, max = AccountSpec.MAX_ID_LENGTH)
            @JsonPropertyDescription("the account (default: yours; another's for the operator only)") String account,
            @Nullable @Min(0) @Max(Long.MAX_VALUE)
            @JsonPropertyDescription("start of the period, ms since the epoch (default: a day before to)") Long from,
            @Nullable @Min(0) @Max(Long.MAX_VALUE)
            @JsonPropertyDescription("end of the period, exclusive, ms since the epoch (default: now)") Long to,
            @Nullable @JsonPropertyDescription("json (default) or csv") Format format) {
    }

    /** A signed statement for [from, to) (epoch ms; default the last 24 hours), as JSON or CSV. */
    @GET
    @Path("/statement")
    public Response statement(@Context UriInfo uri, @Context ContainerRequestContext context) {
        Map<String, String> query = new LinkedHashMap<>();
        uri.getQueryParameters().forEach((name, values) -> query.put(name, values.getFirst()));
        StatementRequest request = ForgeMcp.readText(StatementRequest.class, query);
        Actor actor = ApiAuth.actor(context);
        String who = request.account() != null ? request.account() : actor.id();
        PolicyException.require(actor.mayActFor(who), Refusal.UNAUTHORIZED, "an agent sees only its own statement");
        long end = request.to() != null ? request.to() : System.currentTimeMillis() + 1;
        Statement s = node.statements().statement(who, request.from() != null ? request.from() : end - 86_400_000L, end);
        String name = "forge-statement-" + who + "-" + s.from() + "-" + s.to();
        if (request.format() == Format.CSV) {
            return Response.ok(csv(s), "text/csv").header("Content-Disposition", "attachment; filename=\"" + name + ".csv\"").build();
        }
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
