package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Both pre-login sessions, without a channel. */
class ProxySessionTest {

    private static final HostPort POP3 = new HostPort("127.0.0.1", 11110);
    private static final HostPort IMAP = new HostPort("127.0.0.1", 11143);

    private static String plain(String authz, String user, String password) {
        return Base64.getEncoder().encodeToString((authz + "\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static Pop3ProxySession pop3(boolean tls) {
        return new Pop3ProxySession(new UpstreamRouter(new Route.UserAtHost(), List.of(POP3), 110, Optional.empty()), tls);
    }

    private static ImapProxySession imap(boolean tls) {
        return new ImapProxySession(new UpstreamRouter(new Route.UserAtHost(), List.of(IMAP), 143, Optional.empty()), tls);
    }

    @Test
    void pop3UserAndPassYieldARoutedLogin() {
        Pop3ProxySession s = pop3(false);
        assertThat(s.handle(Pop3Command.parse("user bob@example.org@127.0.0.1:11110"))).isEqualTo(new Pop3Step.Reply("+OK send PASS", false));
        assertThat(s.handle(Pop3Command.parse("PASS two words"))).isEqualTo(
                new Pop3Step.Login(new Routing.Routed(POP3, "bob@example.org"), "two words"));
    }

    @Test
    void pop3AuthPlainYieldsARoutedLoginAndRefusesAForeignAuthzid() {
        Pop3ProxySession s = pop3(false);
        assertThat(s.handle(Pop3Command.parse("AUTH PLAIN " + plain("alice#127.0.0.1:11110", "alice#127.0.0.1:11110", "pw"))))
                .isEqualTo(new Pop3Step.Login(new Routing.Routed(POP3, "alice"), "pw"));
        assertThat(s.handle(Pop3Command.parse("AUTH PLAIN " + plain("root", "alice@127.0.0.1:11110", "pw"))))
                .isEqualTo(new Pop3Step.Reply("-ERR [AUTH] malformed PLAIN response", false));
    }

    @Test
    void pop3StlsIsOfferedOnceAndForgetsTheUser() {
        Pop3ProxySession s = pop3(true);
        assertThat(((Pop3Step.Reply) s.handle(new Pop3Command.Capa())).text()).contains("\r\nSTLS\r\n");
        s.handle(Pop3Command.parse("USER alice@127.0.0.1:11110"));
        assertThat(s.handle(new Pop3Command.Stls())).isEqualTo(new Pop3Step.StartTls("+OK Begin TLS negotiation"));
        assertThat(((Pop3Step.Reply) s.handle(new Pop3Command.Capa())).text()).doesNotContain("STLS");
        assertThat(s.handle(new Pop3Command.Stls())).isEqualTo(new Pop3Step.Reply("-ERR TLS is already active", false));
        assertThat(s.handle(Pop3Command.parse("PASS pw"))).isEqualTo(new Pop3Step.Reply("-ERR send USER first", false));
    }

    @Test
    void imapLoginAndAuthenticateYieldRoutedLogins() {
        ImapProxySession s = imap(false);
        assertThat(s.handle(new ImapCommand.Login("a", "alice@127.0.0.1:11143", "p w")))
                .isEqualTo(new ImapStep.Login("a", new Routing.Routed(IMAP, "alice"), "p w"));
        assertThat(s.handle(new ImapCommand.Authenticate("b", "PLAIN", plain("", "bob@example.org#127.0.0.1:11143", "pw"))))
                .isEqualTo(new ImapStep.Login("b", new Routing.Routed(IMAP, "bob@example.org"), "pw"));
        assertThat(s.handle(new ImapCommand.Authenticate("c", "PLAIN", ""))).isEqualTo(new ImapStep.Reply("+ ", false));
        assertThat(s.saslTag()).contains("c");
        assertThat(s.handle(new ImapCommand.SaslResponse("c", plain("", "alice@127.0.0.1:11143", "pw"))))
                .isEqualTo(new ImapStep.Login("c", new Routing.Routed(IMAP, "alice"), "pw"));
        assertThat(s.saslTag()).isEmpty();
    }

    @Test
    void imapRefusesCredentialsThatCannotBeQuotedUpstream() {
        assertThat(imap(false).handle(new ImapCommand.Login("a", "alice@127.0.0.1:11143", "line\r\nbreak")))
                .isEqualTo(new ImapStep.Reply("a NO [AUTHENTICATIONFAILED] user names and passwords with CR, LF or NUL cannot be proxied", false));
    }

    @Test
    void imapStarttlsIsOfferedOnce() {
        ImapProxySession s = imap(true);
        assertThat(s.greeting()).contains("STARTTLS");
        assertThat(s.handle(new ImapCommand.StartTls("a"))).isEqualTo(new ImapStep.StartTls("a OK Begin TLS negotiation now"));
        assertThat(((ImapStep.Reply) s.handle(new ImapCommand.Capability("b"))).text()).doesNotContain("STARTTLS");
        assertThat(s.handle(new ImapCommand.StartTls("c"))).isEqualTo(new ImapStep.Reply("c BAD TLS is already active", false));
    }
}
