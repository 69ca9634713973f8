package dev.forge.economy.market;

/** How a route chooses among the offers for a model. */
public enum RouteMode {
    /** The lowest price; reputation breaks ties. */
    COST,
    /** The best reputation; price breaks ties. */
    QUALITY,
    /** The best average of price (relative to the cheapest) and reputation. */
    BALANCED
}
