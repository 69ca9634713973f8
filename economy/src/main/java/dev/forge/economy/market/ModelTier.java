package dev.forge.economy.market;

/**
 * A model's price class, by size (the inference module derives it from the parameter count
 * and the node passes it here by name, so that the economy does not depend on inference).
 */
public enum ModelTier {
    TINY,
    SMALL,
    MEDIUM,
    LARGE
}
