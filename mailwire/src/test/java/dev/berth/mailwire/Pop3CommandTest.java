package dev.berth.mailwire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class Pop3CommandTest {

    @Test
    void commandsOfEveryStateAreRead() {
        assertThat(Pop3Command.parse("user alice@127.0.0.1:11110")).isEqualTo(new Pop3Command.User("alice@127.0.0.1:11110"));
        assertThat(Pop3Command.parse("PASS two words")).isEqualTo(new Pop3Command.Pass("two words"));
        assertThat(Pop3Command.parse("AUTH")).isEqualTo(new Pop3Command.Auth(Optional.empty(), Optional.empty()));
        assertThat(Pop3Command.parse("auth plain =")).isEqualTo(new Pop3Command.Auth(Optional.of("PLAIN"), Optional.of("=")));
        assertThat(Pop3Command.parse("UIDL")).isEqualTo(new Pop3Command.Uidl(OptionalInt.empty()));
        assertThat(Pop3Command.parse("LIST 3")).isEqualTo(new Pop3Command.ListMessages(OptionalInt.of(3)));
        assertThat(Pop3Command.parse("TOP 2 10")).isEqualTo(new Pop3Command.Top(2, 10));
        assertThat(Pop3Command.parse("retr 1")).isEqualTo(new Pop3Command.Retr(1));
    }

    @Test
    void apopIsRefusedByName() {
        assertThat(Pop3Command.parse("APOP alice 0123")).isEqualTo(new Pop3Command.Invalid("APOP is not supported."));
    }

    @Test
    void badLinesAreInvalidNeverExceptions() {
        assertThat(Pop3Command.parse("")).isInstanceOf(Pop3Command.Invalid.class);
        assertThat(Pop3Command.parse("USER")).isEqualTo(new Pop3Command.Invalid("USER takes one argument"));
        assertThat(Pop3Command.parse("TOP 1")).isInstanceOf(Pop3Command.Invalid.class);
        assertThat(Pop3Command.parse("RETR 9999999999")).isInstanceOf(Pop3Command.Invalid.class);
    }

    @Test
    void aControlCharacterInsideALineIsInvalidSoThatNoReplyEchoesIt() {
        assertThat(Pop3Command.parse("USER bob#127HB3\r.")).isEqualTo(new Pop3Command.Invalid("Control character in command."));
        assertThat(Pop3Command.parse("PASS se\0cret")).isEqualTo(new Pop3Command.Invalid("Control character in command."));
        assertThat(Pop3Command.parse("USER\talice")).isEqualTo(new Pop3Command.Invalid("Control character in command."));
    }

    @Test
    void secretsStayOutOfLogs() {
        assertThat(Pop3Command.parse("PASS hunter2")).hasToString("Pass[***]");
        assertThat(Pop3Command.parse("AUTH PLAIN AGFAYg==").toString()).doesNotContain("AGFAYg");
    }
}
