package dev.berth.scan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;

/**
 * The {@code rspamd} scanner: POSTs the message to {@code <url>/checkv2} of rspamd's normal
 * worker with the envelope as rspamd's request headers ({@code IP}, {@code Helo}, {@code From},
 * one {@code Rcpt} per recipient, each only when known) and reads {@code score} and
 * {@code action} from the JSON answer.
 *
 * <p>Every scored message is a {@link Verdict.Spam}, ham included: the action is
 * {@link SpamAction#REJECT} when the score reaches {@code reject-score} or rspamd itself answered
 * {@code "action": "reject"} (its own reject threshold, or a pre-result such as GTUBE, which
 * comes with {@code "is_skipped": true}), {@link SpamAction#TAG} when it reaches
 * {@code tag-score}, otherwise {@link SpamAction#NONE}. rspamd's {@code "soft reject"} (greylisting,
 * rate limits: try later), a status other than 200, an answer without a score, a refused
 * connection and the timeout give {@link Verdict.Unavailable}.
 *
 * <p>Thread-safe: one {@link HttpClient} (HTTP/1.1) shared by all scans, closed by
 * {@link #close()}. Blocking: the calling thread waits for the answer.
 */
final class RspamdScanner implements Scanner {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RspamdSettings settings;
    private final URI endpoint;
    private final HttpClient client;

    RspamdScanner(RspamdSettings settings) {
        this.settings = settings;
        String base = settings.url().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base : base + "/") + "checkv2");
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public Verdict scan(MessageContent message) {
        return scan(message, Envelope.NONE);
    }

    @Override
    public Verdict scan(MessageContent message, Envelope envelope) {
        HttpResponse<byte[]> response;
        try {
            response = client.send(request(message, envelope), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            return unavailable("timeout after " + Durations.text(settings.timeout()));
        } catch (IOException | UncheckedIOException e) {
            return unavailable("rspamd at " + endpoint + ": " + describe(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable("interrupted");
        }
        if (response.statusCode() != 200) {
            return unavailable("rspamd answered HTTP " + response.statusCode());
        }
        return verdict(response.body());
    }

    /** Closes the HTTP client (waiting for nothing). */
    @Override
    public void close() {
        client.shutdownNow();
    }

    /** The verdict for a /checkv2 JSON answer. */
    Verdict verdict(byte[] body) {
        JsonNode answer;
        try {
            answer = JSON.readTree(body);
        } catch (IOException e) {
            return unavailable("rspamd answered something that is not JSON");
        }
        if (answer == null || !answer.isObject()) {
            return unavailable("rspamd answered something that is not a JSON object");
        }
        String rspamdAction = answer.path("action").asText("");
        if (rspamdAction.equals("soft reject")) {
            return unavailable("rspamd asks to try again later (soft reject)" + reason(answer));
        }
        JsonNode score = answer.get("score");
        if (score == null || !score.isNumber()) {
            return unavailable("rspamd answered without a score"
                    + (answer.has("error") ? ": " + ScanReport.headerSafe(answer.path("error").asText()) : ""));
        }
        SpamAction action = rspamdAction.equals("reject") ? SpamAction.REJECT : settings.actionFor(score.asDouble());
        return new Verdict.Spam(name(), score.asDouble(), action);
    }

    private static String reason(JsonNode answer) {
        String message = answer.path("messages").path("smtp_message").asText("");
        return message.isEmpty() ? "" : ": " + ScanReport.headerSafe(message);
    }

    private HttpRequest request(MessageContent message, Envelope envelope) {
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return message.open();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }), message.size());
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(settings.timeout()).POST(body);
        header(request, "IP", envelope.clientAddress());
        header(request, "Helo", envelope.helo());
        header(request, "From", envelope.mailFrom());
        envelope.recipients().forEach(recipient -> header(request, "Rcpt", recipient));
        return request.build();
    }

    private static void header(HttpRequest.Builder request, String name, String value) {
        String safe = ScanReport.headerSafe(value);
        if (!safe.isEmpty()) {
            request.header(name, safe);
        }
    }

    private Verdict.Unavailable unavailable(String reason) {
        return new Verdict.Unavailable(name(), reason);
    }

    private static String describe(Exception e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
