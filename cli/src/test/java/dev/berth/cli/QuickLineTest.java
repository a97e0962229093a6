package dev.berth.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class QuickLineTest {

    /** What picocli makes of the same line, for the equivalence the quick path promises. */
    private static Object picocli(String... args) {
        Object command = args[0].equals("status") ? new StatusCommand() : new CheckCommand();
        new CommandLine(command).parseArgs(java.util.Arrays.copyOfRange(args, 1, args.length));
        return command;
    }

    private static void takenAsPicocliTakesIt(String... args) {
        Callable<Integer> quick = QuickLine.parse(args).orElseThrow(() -> new AssertionError("declined " + String.join(" ", args)));
        Object slow = picocli(args);
        assertThat(quick).isExactlyInstanceOf(slow.getClass());
        if (quick instanceof StatusCommand q) {
            StatusCommand s = (StatusCommand) slow;
            assertThat(q.config.file).isEqualTo(s.config.file);
            assertThat(q.json).isEqualTo(s.json);
        } else {
            assertThat(((CheckCommand) quick).config.file).isEqualTo(((CheckCommand) slow).config.file);
        }
    }

    @Test
    void everyPlainSpellingOfStatusAndCheckIsReadAsPicocliReadsIt() {
        takenAsPicocliTakesIt("status", "-c", "berth.yaml");
        takenAsPicocliTakesIt("status", "--config", "/etc/berth/berth.yaml", "--json");
        takenAsPicocliTakesIt("status", "--json", "--config=dir/berth.yaml");
        takenAsPicocliTakesIt("status", "-cberth.yaml");
        takenAsPicocliTakesIt("check", "-c", "examples/berth.yaml");
        takenAsPicocliTakesIt("check", "--config=examples/berth.yaml");
        assertThat(((StatusCommand) QuickLine.parse("status", "-c", "b.yaml").orElseThrow()).config.file)
                .isEqualTo(Path.of("b.yaml"));
    }

    @Test
    void anythingElseIsLeftToPicocliSoHelpAndErrorsStayItsOwn() {
        String[][] declined = {
            {}, {"run", "-c", "b.yaml"}, {"status"}, {"status", "--help"}, {"check", "-h"},
            {"status", "-c"}, {"status", "-c", "a.yaml", "-c", "b.yaml"}, {"status", "--json", "--json", "-c", "b.yaml"},
            {"check", "--json", "-c", "b.yaml"}, {"status", "-c", "b.yaml", "extra"}, {"status", "--config="},
            {"status", "-c=b.yaml"}, {"status", "--verbose", "-c", "b.yaml"}, {"-V"},
        };
        for (String[] args : declined) {
            assertThat(QuickLine.parse(args)).as(String.join(" ", args)).isEmpty();
        }
    }
}
