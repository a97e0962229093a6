package dev.berth.mailproxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LoginDialogueTest {

    private static final ClientAddress CLIENT = new ClientAddress("192.0.2.7", 5555);

    @Test
    void pop3SendsStlsXclientUserAndPassInOrder() {
        Pop3LoginDialogue d = new Pop3LoginDialogue(new UpstreamLogin("alice", "se cret", UpstreamTls.STARTTLS, true, CLIENT));
        assertThat(d.start()).isEqualTo(new LoginStep.Wait());
        assertThat(d.onLine("+OK [XCLIENT] Dovecot ready.")).isEqualTo(new LoginStep.Send("STLS", false));
        assertThat(d.onLine("+OK Begin TLS negotiation now.")).isEqualTo(new LoginStep.StartTls());
        assertThat(d.onTlsReady()).isEqualTo(new LoginStep.Send("XCLIENT ADDR=192.0.2.7 PORT=5555", false));
        assertThat(d.onLine("+OK Updated")).isEqualTo(new LoginStep.Send("USER alice", false));
        assertThat(d.onLine("+OK")).isEqualTo(new LoginStep.Send("PASS se cret", true));
        assertThat(d.onLine("+OK Logged in.")).isEqualTo(new LoginStep.Succeeded("+OK Logged in.", List.of()));
    }

    @Test
    void pop3SkipsXclientWhenNotOfferedOrNotWanted() {
        Pop3LoginDialogue notOffered = new Pop3LoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, true, CLIENT));
        assertThat(notOffered.onLine("+OK Dovecot ready.")).isEqualTo(new LoginStep.Send("USER alice", false));
        Pop3LoginDialogue notWanted = new Pop3LoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        assertThat(notWanted.onLine("+OK [XCLIENT] Dovecot ready.")).isEqualTo(new LoginStep.Send("USER alice", false));
    }

    @Test
    void pop3FailuresCarryTheUpstreamTextOrSysTemp() {
        Pop3LoginDialogue d = new Pop3LoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        d.onLine("+OK ready");
        d.onLine("+OK");
        assertThat(d.onLine("-ERR [AUTH] Authentication failed.")).isEqualTo(new LoginStep.Failed("-ERR [AUTH] Authentication failed."));
        Pop3LoginDialogue plain = new Pop3LoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        plain.onLine("+OK ready");
        assertThat(plain.onLine("-ERR no such user")).isEqualTo(new LoginStep.Failed("-ERR [AUTH] no such user"));
        Pop3LoginDialogue busy = new Pop3LoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        assertThat(busy.onLine("-ERR [SYS/TEMP] too busy")).isEqualTo(
                new LoginStep.Failed("-ERR [SYS/TEMP] upstream unavailable: greeting was \"-ERR [SYS/TEMP] too busy\""));
        Pop3LoginDialogue stls = new Pop3LoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.STARTTLS, false, CLIENT));
        stls.onLine("+OK ready");
        assertThat(((LoginStep.Failed) stls.onLine("-ERR no TLS")).reply()).startsWith("-ERR [SYS/TEMP]");
    }

    @Test
    void imapSendsStarttlsIdAndAQuotedLogin() {
        ImapLoginDialogue d = new ImapLoginDialogue(new UpstreamLogin("al\"ice", "p\\w", UpstreamTls.STARTTLS, true, CLIENT));
        assertThat(d.onLine("* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.")).isEqualTo(new LoginStep.Send("S STARTTLS", false));
        assertThat(d.onLine("S OK Begin TLS negotiation now.")).isEqualTo(new LoginStep.StartTls());
        assertThat(d.onTlsReady()).isEqualTo(new LoginStep.Send(
                "I ID (\"x-originating-ip\" \"192.0.2.7\" \"x-originating-port\" \"5555\")", false));
        assertThat(d.onLine("* ID NIL")).isEqualTo(new LoginStep.Wait());
        assertThat(d.onLine("I OK ID completed.")).isEqualTo(new LoginStep.Send("L LOGIN \"al\\\"ice\" \"p\\\\w\"", true));
        assertThat(d.onLine("* CAPABILITY IMAP4rev1 IDLE")).isEqualTo(new LoginStep.Wait());
        assertThat(d.onLine("L OK [CAPABILITY IMAP4rev1 IDLE] Logged in")).isEqualTo(
                new LoginStep.Succeeded("OK [CAPABILITY IMAP4rev1 IDLE] Logged in", List.of("* CAPABILITY IMAP4rev1 IDLE")));
    }

    @Test
    void imapFailuresCarryTheUpstreamTextOrUnavailable() {
        ImapLoginDialogue d = new ImapLoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        assertThat(d.onLine("* OK ready")).isEqualTo(new LoginStep.Send("L LOGIN \"alice\" \"pw\"", true));
        assertThat(d.onLine("L NO [AUTHENTICATIONFAILED] Authentication failed."))
                .isEqualTo(new LoginStep.Failed("NO [AUTHENTICATIONFAILED] Authentication failed."));
        ImapLoginDialogue bye = new ImapLoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        assertThat(((LoginStep.Failed) bye.onLine("* BYE shutting down")).reply()).startsWith("NO [UNAVAILABLE]");
        ImapLoginDialogue preauth = new ImapLoginDialogue(new UpstreamLogin("alice", "pw", UpstreamTls.NONE, false, CLIENT));
        assertThat(((LoginStep.Failed) preauth.onLine("* PREAUTH welcome")).reply()).startsWith("NO [UNAVAILABLE]");
    }
}
