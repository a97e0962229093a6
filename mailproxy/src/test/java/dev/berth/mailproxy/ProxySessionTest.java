package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.berth.config.HostPort;
import dev.berth.mailwire.Pop3Command;
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
        assertThat(s.handle(Pop3Command.parse("user bob@example.org@127.0.0.1:11110"))).isEqualTo(new ProxyStep.Reply("+OK send PASS", false));
        assertThat(s.handle(Pop3Command.parse("PASS two words"))).isEqualTo(
                new ProxyStep.Login(new Routing.Routed(POP3, "bob@example.org"), "two words"));
    }

    @Test
    void pop3AuthPlainYieldsARoutedLoginAndRefusesAForeignAuthzid() {
        Pop3ProxySession s = pop3(false);
        assertThat(s.handle(Pop3Command.parse("AUTH PLAIN " + plain("alice#127.0.0.1:11110", "alice#127.0.0.1:11110", "pw"))))
                .isEqualTo(new ProxyStep.Login(new Routing.Routed(POP3, "alice"), "pw"));
        assertThat(s.handle(Pop3Command.parse("AUTH PLAIN " + plain("root", "alice@127.0.0.1:11110", "pw"))))
                .isEqualTo(new ProxyStep.Reply("-ERR [AUTH] malformed PLAIN response", false));
    }

    @Test
    void pop3StlsIsOfferedOnceAndForgetsTheUser() {
        Pop3ProxySession s = pop3(true);
        assertThat(((ProxyStep.Reply) s.handle(new Pop3Command.Capa())).text()).contains("\r\nSTLS\r\n");
        s.handle(Pop3Command.parse("USER alice@127.0.0.1:11110"));
        assertThat(s.handle(new Pop3Command.Stls())).isEqualTo(new ProxyStep.StartTls("+OK Begin TLS negotiation"));
        assertThat(((ProxyStep.Reply) s.handle(new Pop3Command.Capa())).text()).doesNotContain("STLS");
        assertThat(s.handle(new Pop3Command.Stls())).isEqualTo(new ProxyStep.Reply("-ERR TLS is already active", false));
        assertThat(s.handle(Pop3Command.parse("PASS pw"))).isEqualTo(new ProxyStep.Reply("-ERR send USER first", false));
    }

    @Test
    void imapVerbsThatAreNotAtomsAreNotEchoedSoThatALiteralCannotForgeReplyLines() {
        // found by ImapProxyFuzzTest: a verb sent as a literal carried CRLF into the BAD reply
        ImapProxySession s = imap(false);
        assertThat(s.handle(new ImapCommand.Other("a1", "PW!\r\nA OK LOGIN"))).isEqualTo(
                new ProxyStep.Reply("a1 BAD that command is not allowed before login", false));
        assertThat(s.handle(new ImapCommand.Other("a2", "STSARLT\rT"))).isEqualTo(
                new ProxyStep.Reply("a2 BAD that command is not allowed before login", false));
        assertThat(s.handle(new ImapCommand.Other("a3", "SELECT"))).isEqualTo(
                new ProxyStep.Reply("a3 BAD SELECT is not allowed before login", false));
    }

    @Test
    void imapLoginAndAuthenticateYieldRoutedLogins() {
        ImapProxySession s = imap(false);
        assertThat(s.handle(new ImapCommand.Login("a", "alice@127.0.0.1:11143", "p w")))
                .isEqualTo(new ProxyStep.Login(new Routing.Routed(IMAP, "alice"), "p w"));
        assertThat(s.loginFailed("NO nope")).isEqualTo(new ProxyStep.Reply("a NO nope", false));
        assertThat(s.handle(new ImapCommand.Authenticate("b", "PLAIN", plain("", "bob@example.org#127.0.0.1:11143", "pw"))))
                .isEqualTo(new ProxyStep.Login(new Routing.Routed(IMAP, "bob@example.org"), "pw"));
        assertThat(s.loginFailed("NO nope")).isEqualTo(new ProxyStep.Reply("b NO nope", false));
        assertThat(s.handle(new ImapCommand.Authenticate("c", "PLAIN", ""))).isEqualTo(new ProxyStep.Reply("+ ", false));
        assertThat(s.saslTag()).contains("c");
        assertThat(s.handle(new ImapCommand.SaslResponse("c", plain("", "alice@127.0.0.1:11143", "pw"))))
                .isEqualTo(new ProxyStep.Login(new Routing.Routed(IMAP, "alice"), "pw"));
        assertThat(s.saslTag()).isEmpty();
        assertThat(s.loggedIn(new LoginStep.Succeeded("OK [CAPABILITY IMAP4rev1] Logged in", List.of("* FLAGS ()"))))
                .isEqualTo("* FLAGS ()\r\nc OK [CAPABILITY IMAP4rev1] Logged in");
    }

    @Test
    void imapRefusesCredentialsThatCannotBeQuotedUpstream() {
        assertThat(imap(false).handle(new ImapCommand.Login("a", "alice@127.0.0.1:11143", "line\r\nbreak")))
                .isEqualTo(new ProxyStep.Reply("a NO [AUTHENTICATIONFAILED] user names and passwords with CR, LF or NUL cannot be proxied", false));
    }

    @Test
    void imapStarttlsIsOfferedOnce() {
        ImapProxySession s = imap(true);
        assertThat(s.greeting()).contains("STARTTLS");
        assertThat(s.handle(new ImapCommand.StartTls("a"))).isEqualTo(new ProxyStep.StartTls("a OK Begin TLS negotiation now"));
        assertThat(((ProxyStep.Reply) s.handle(new ImapCommand.Capability("b"))).text()).doesNotContain("STARTTLS");
        assertThat(s.handle(new ImapCommand.StartTls("c"))).isEqualTo(new ProxyStep.Reply("c BAD TLS is already active", false));
    }
}
