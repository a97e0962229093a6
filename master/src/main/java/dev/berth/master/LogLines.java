package dev.berth.master;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.config.MasterConfig.LogFormat;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The master's log lines: its own records (through {@code System.Logger}, backed by
 * java.util.logging) and every line its children print (copied by {@link ChildOutput}), all on
 * standard error, one line per event, as text or as JSON ({@code master.log-format}).
 *
 * <p>JSON lines carry {@code time}, {@code level}, {@code source} ({@code master}, {@code worker}
 * or {@code dispatcher}), {@code message}, and for events and children's lines {@code event},
 * {@code pool}, {@code worker}, {@code pid}, {@code generation}, {@code cause} where they apply.
 * A child's thread dump comes as one object per line. Thread-safe.
 */
final class LogLines {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile LogFormat format = LogFormat.TEXT;

    private LogLines() {
    }

    /** Switches every root handler to {@code chosen}; text keeps the format set at start. */
    static void use(LogFormat chosen) {
        format = chosen;
        if (chosen == LogFormat.JSON) {
            for (Handler handler : Logger.getLogger("").getHandlers()) {
                handler.setFormatter(new JsonFormatter());
            }
        }
    }

    /** Writes one line that {@code child} printed, attributed to it in JSON. */
    static void child(MasterEvent.Child child, String line) {
        if (format == LogFormat.TEXT) {
            System.err.println(line);
            return;
        }
        ObjectNode out = JSON.createObjectNode().put("time", Instant.now().toString()).put("level", "INFO")
                .put("source", child.role());
        fields(out, child);
        System.err.println(out.put("message", line));
    }

    private static void fields(ObjectNode out, MasterEvent.Child child) {
        out.put("pool", child.pool());
        if ("worker".equals(child.role())) {
            out.put("worker", child.id());
        }
        out.put("pid", child.pid()).put("generation", child.generation());
    }

    /** One JSON object per record; a {@link MasterEvent} parameter adds its fields. */
    static final class JsonFormatter extends Formatter {

        @Override
        public String format(LogRecord record) {
            ObjectNode out = JSON.createObjectNode().put("time", record.getInstant().toString())
                    .put("level", record.getLevel().getName()).put("source", "master")
                    .put("pid", ProcessHandle.current().pid()).put("logger", record.getLoggerName());
            Object[] parameters = record.getParameters();
            if (parameters != null && parameters.length > 0 && parameters[0] instanceof MasterEvent event) {
                out.put("event", event.name());
                event.pool().ifPresent(p -> out.put("pool", p));
                event.child().ifPresent(c -> fields(out.put("role", c.role()), c));
                event.cause().ifPresent(c -> out.put("cause", c));
                out.put("message", event.message());
            } else {
                out.put("message", formatMessage(record));
            }
            if (record.getThrown() != null) {
                StringWriter trace = new StringWriter();
                record.getThrown().printStackTrace(new PrintWriter(trace));
                out.put("thrown", trace.toString());
            }
            return out + System.lineSeparator();
        }
    }
}
