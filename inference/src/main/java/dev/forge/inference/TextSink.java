package dev.forge.inference;

import java.util.List;
import java.util.function.Consumer;

/**
 * Collects generated text and streams it on, holding back just enough of the tail that a
 * stop sequence split over several tokens is never streamed before it is recognised.
 */
final class TextSink {
    private final List<String> stop;
    private final Consumer<String> onText;
    private final int holdBack;
    private final StringBuilder text = new StringBuilder();
    private int streamed;

    TextSink(List<String> stop, Consumer<String> onText) {
        this.stop = stop;
        this.onText = onText;
        this.holdBack = stop.stream().mapToInt(String::length).max().orElse(1) - 1;
    }

    /** Adds a piece; true if the text now contains a stop sequence (which is cut off). */
    boolean accept(String piece) {
        text.append(piece);
        int cut = firstStop();
        if (cut >= 0) {
            text.setLength(cut);
            return true;
        }
        stream(text.length() - holdBack);
        return false;
    }

    Completion finish(int promptTokens, int completionTokens, Completion.FinishReason reason) {
        stream(text.length());
        return new Completion(text.toString(), promptTokens, completionTokens, reason, List.of());
    }

    private int firstStop() {
        int from = Math.max(0, streamed - holdBack);
        int first = -1;
        for (String s : stop) {
            int at = text.indexOf(s, from);
            if (at >= 0 && (first < 0 || at < first)) first = at;
        }
        return first;
    }

    private void stream(int upTo) {
        if (upTo <= streamed) return;
        onText.accept(text.substring(streamed, upTo));
        streamed = upTo;
    }
}
