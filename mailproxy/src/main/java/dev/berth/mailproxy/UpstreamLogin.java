package dev.berth.mailproxy;

import java.util.Objects;

/**
 * What a {@link LoginDialogue} logs in upstream with; the same for POP3 and IMAP.
 *
 * @param user the upstream user name
 * @param password the password, sent as is (IMAP quotes it)
 * @param tls the upstream TLS mode; the dialogue acts only on {@link UpstreamTls#STARTTLS}
 * @param xclient whether to pass the client's address (POP3 {@code XCLIENT} when the greeting
 *     offers it, IMAP {@code ID ("x-originating-ip" ...)})
 * @param client the address to pass
 */
record UpstreamLogin(String user, String password, UpstreamTls tls, boolean xclient, ClientAddress client) {

    /** Checks the arguments. */
    UpstreamLogin {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(client, "client");
    }

    /** The login a session asked for, with the service's upstream settings. */
    static UpstreamLogin of(ProxyStep.Login login, ProxySettings settings, ClientAddress client) {
        return new UpstreamLogin(login.routed().user(), login.password(), settings.upstreamTls(), settings.xclient(), client);
    }
}
