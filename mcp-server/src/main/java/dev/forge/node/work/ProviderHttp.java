package dev.forge.node.work;

import dev.forge.economy.work.Bodies;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * GETs from a provider's own server, as a checker must: strict timeouts, a bound on the bytes
 * read, no redirects (a provider answers for its own URL, not another's). 200 is the bytes,
 * 404 or 410 is "gone"; anything else, or no answer in time, is {@link Bodies.Unreachable}.
 */
final class ProviderHttp {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1).build();

    /** What a GET found: the bytes; empty when gone; {@code tooLarge} when the body exceeded the bound. */
    record Answer(Optional<byte[]> bytes, boolean tooLarge) {
    }

    private ProviderHttp() {
    }

    static Answer get(URI uri, int maxBytes) throws Bodies.Unreachable {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = CLIENT.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new Bodies.Unreachable(uri.getHost() + ":" + uri.getPort() + " did not answer: " + e.getClass().getSimpleName(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Bodies.Unreachable("interrupted while asking " + uri.getHost(), e);
        }
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404 || status == 410) return new Answer(Optional.empty(), false);
            if (status != 200) throw new Bodies.Unreachable("answered HTTP " + status + (status / 100 == 3 ? " (redirects are refused)" : ""));
            long declared = response.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (declared > maxBytes) return new Answer(Optional.empty(), true);
            byte[] bytes = body.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) return new Answer(Optional.empty(), true);
            return new Answer(Optional.of(bytes), false);
        } catch (IOException e) {
            throw new Bodies.Unreachable("the answer from " + uri.getHost() + " broke off: " + e.getClass().getSimpleName(), e);
        }
    }

    /** GET {@code base} + "/" + {@code path}; a base that is no http(s) URL answers nothing (it was checked when registered). */
    static Answer get(String base, String path, int maxBytes) throws Bodies.Unreachable {
        return get(under(base, path), maxBytes);
    }

    static URI under(String base, String path) throws Bodies.Unreachable {
        String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        try {
            URI uri = new URI(trimmed + "/" + path);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                throw new Bodies.Unreachable("the provider's bodies_url is not an http(s) URL");
            }
            return uri;
        } catch (java.net.URISyntaxException e) {
            throw new Bodies.Unreachable("the provider's bodies_url is not a URL", e);
        }
    }
}
