package dev.forge.policies;

import java.lang.reflect.Field;

/** Faults the tests cause from outside, without hooks in the production code. */
final class Faults {
    private Faults() {}

    /** The pipeline's safety store goes away, as a lost disk would: its file is closed under it. */
    static void loseStore(SpendPipeline pipeline) {
        try {
            Field field = SpendPipeline.class.getDeclaredField("store");
            field.setAccessible(true);
            ((SafetyStore) field.get(pipeline)).close();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("SpendPipeline no longer keeps its store in the field 'store'", e);
        }
    }
}
