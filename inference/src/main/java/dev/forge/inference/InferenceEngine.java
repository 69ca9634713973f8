package dev.forge.inference;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The models a node serves. Generation is CPU-bound and jlama already spreads one generation
 * over every core, so each model runs one generation at a time; the others wait in a fair
 * (first come, first served) queue of bounded length, and a request that finds the queue full
 * is refused at once with {@code queue_full} rather than left waiting.
 */
public final class InferenceEngine implements AutoCloseable {
    private final Path workingRoot;
    private final int maxQueue;
    private final Tier.Bounds tiers;
    private final InferenceGuard guard;
    private final FolderDigest digest;
    private final Map<String, Slot> slots = new ConcurrentHashMap<>();

    /** Queue and timing of one model, readable while it runs. */
    public static final class Slot {
        private final LocalModel model;
        private final Semaphore turn = new Semaphore(1, true);
        private final AtomicInteger waiting = new AtomicInteger();
        private final LongAdder waitNanos = new LongAdder();
        private final LongAdder runs = new LongAdder();

        Slot(LocalModel model) {
            this.model = model;
        }

        public LocalModel model() {
            return model;
        }

        public int queueDepth() {
            return waiting.get();
        }

        public long totalWaitNanos() {
            return waitNanos.sum();
        }

        public long runs() {
            return runs.sum();
        }
    }

    /**
     * @param workingRoot where each model gets a folder for jlama's working files
     * @param maxQueue how many requests may wait per model
     */
    public InferenceEngine(Path workingRoot, int maxQueue) {
        this(workingRoot, maxQueue, Tier.Bounds.DEFAULT, InferenceGuard.NONE);
    }

    /**
     * @param tiers where the tiers of loaded models start
     * @param guard runs each request, waiting included, so that an open breaker refuses at once
     */
    public InferenceEngine(Path workingRoot, int maxQueue, Tier.Bounds tiers, InferenceGuard guard) {
        this(workingRoot, maxQueue, tiers, guard, FolderDigest.NONE);
    }

    /** @param digest names each model folder once, as it loads: {@link LocalModel#digest} */
    public InferenceEngine(Path workingRoot, int maxQueue, Tier.Bounds tiers, InferenceGuard guard, FolderDigest digest) {
        if (maxQueue < 0 || maxQueue > 10_000) throw new IllegalArgumentException("queue length must be 0 to 10,000");
        this.workingRoot = workingRoot;
        this.maxQueue = maxQueue;
        this.tiers = tiers;
        this.guard = guard;
        this.digest = digest;
    }

    /** Loads the model in {@code folder} under {@code name}. */
    public LocalModel load(String name, Path folder) {
        InferenceException.require(name != null && name.matches("[A-Za-z0-9._:-]{1,64}"), InferenceException.Code.INVALID_ARGUMENT,
                "a model name is 1-64 characters of A-Z a-z 0-9 . _ : -");
        InferenceException.require(!slots.containsKey(name), InferenceException.Code.INVALID_ARGUMENT,
                "a model named " + name + " is already loaded");
        LocalModel model = LocalModel.load(name, folder, workingRoot.resolve(name), tiers, digest);
        slots.put(name, new Slot(model));
        return model;
    }

    public List<LocalModel> models() {
        return slots.values().stream().map(Slot::model).toList();
    }

    public Slot slot(String name) {
        Slot slot = slots.get(name);
        InferenceException.require(slot != null, InferenceException.Code.UNKNOWN_MODEL,
                "no model named " + name + " is loaded (loaded: " + String.join(", ", slots.keySet()) + ")");
        return slot;
    }

    /** Runs a generation, through the guard, when the model's turn comes; see {@link LocalModel#generate}. */
    public Completion generate(String model, GenerationRequest request, Consumer<String> onText, BooleanSupplier cancelled) {
        Slot slot = slot(model);
        try {
            return guard.run(model, () -> queued(slot, request, onText, cancelled));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new InferenceException(InferenceException.Code.ENGINE_FAILURE, "generation failed: " + e, e);
        }
    }

    private Completion queued(Slot slot, GenerationRequest request, Consumer<String> onText, BooleanSupplier cancelled) {
        String model = slot.model.name();
        // Waiting means queued behind the running generation; the running one does not count.
        if (slot.waiting.incrementAndGet() > maxQueue && slot.turn.availablePermits() == 0) {
            slot.waiting.decrementAndGet();
            throw new InferenceException(InferenceException.Code.QUEUE_FULL,
                    model + " already has " + maxQueue + " requests waiting; try again shortly");
        }
        long queuedAt = System.nanoTime();
        try {
            slot.turn.acquire();
        } catch (InterruptedException e) {
            slot.waiting.decrementAndGet();
            Thread.currentThread().interrupt();
            throw new InferenceException(InferenceException.Code.ENGINE_FAILURE, "interrupted while waiting for " + model);
        }
        slot.waiting.decrementAndGet();
        slot.waitNanos.add(System.nanoTime() - queuedAt);
        try {
            return slot.model.generate(request, onText, cancelled);
        } finally {
            slot.runs.increment();
            slot.turn.release();
        }
    }

    /** Closes every model, deleting their working files. */
    @Override
    public void close() {
        slots.values().forEach(slot -> slot.model().close());
        slots.clear();
    }
}
