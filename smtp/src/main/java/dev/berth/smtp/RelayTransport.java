package dev.berth.smtp;

import dev.berth.config.HostPort;
import dev.berth.mailwire.DotStuffer;
import dev.berth.service.Outbound;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A before-queue filter (like Postfix's smtpd_proxy_filter): MAIL opens a connection to the next
 * hop and passes the envelope on, each RCPT is passed on, and at the end of data the message is
 * scanned and then sent (BDAT when the next hop offers CHUNKING, else dot-stuffed DATA). The
 * client hears the next hop's replies, code and text, so nothing is acknowledged that the next
 * hop did not acknowledge. A scanner refusal resets the next hop (RSET) and refuses the client;
 * an unreachable next hop gives 451 4.4.1.
 *
 * <p>One per connection; blocking; used on the connection's executor only.
 */
final class RelayTransport implements Transport {

    private static final System.Logger LOG = System.getLogger(RelayTransport.class.getName());
    private static final Pattern ENHANCED = Pattern.compile("^([245]\\.[0-9]{1,3}\\.[0-9]{1,3}) (.*)$");

    /** Makes a transport per connection; immutable, thread-safe. */
    record Factory(HostPort to, String hostname, ScanStep scan, Optional<Quarantine> quarantine, Outbound outbound) {
        RelayTransport open() {
            return new RelayTransport(this);
        }
    }

    private final Factory factory;
    private NextHop hop;
    private boolean inTransaction;

    private RelayTransport(Factory factory) {
        this.factory = factory;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public SmtpReply mail(Transaction.Sender sender, Transaction.ClientFacts client) {
        if (hop != null && hop.stale()) {
            drop();
        }
        boolean reused = hop != null;
        SmtpReply reply = tryMail(sender, client);
        if (reused && (hop == null || reply.code() == 421)) {
            // The kept connection was closed by the next hop while idle: one fresh attempt.
            drop();
            reply = tryMail(sender, client);
        }
        return reply;
    }

    private SmtpReply tryMail(Transaction.Sender sender, Transaction.ClientFacts client) {
        try {
            if (hop == null) {
                hop = NextHop.open(factory.to(), factory.hostname(), factory.outbound());
            }
            if (hop.has("XFORWARD")) {
                SmtpReply forwarded = hop.command(xforward(client));
                if (forwarded.code() != 250) {
                    LOG.log(Level.DEBUG, "next hop refused XFORWARD: " + forwarded);
                }
            }
            if (sender.utf8() && !hop.has("SMTPUTF8")) {
                return SmtpReply.of(553, "5.6.7", "Next hop does not support SMTPUTF8");
            }
            SmtpReply reply = hop.command(mailCommand(sender));
            inTransaction = reply.code() == 250;
            return relayed(reply);
        } catch (NextHop.Refused refused) {
            drop();
            return relayed(refused.reply());
        } catch (IOException e) {
            LOG.log(Level.INFO, "next hop " + factory.to() + " unreachable: " + e.getMessage());
            drop();
            return unreachable();
        }
    }

    /**
     * XFORWARD (Postfix's before-queue filter protocol): the client's address, HELO name and
     * protocol, so that the next hop logs and judges the real client. Values are xtext-safe.
     */
    private static String xforward(Transaction.ClientFacts client) {
        String helo = client.helo() == null ? "[UNAVAILABLE]" : client.helo().replaceAll("[^\\x21-\\x7e]|[+=]", "?");
        return "XFORWARD ADDR=" + client.address() + " HELO=" + helo + " PROTO=" + (client.esmtp() ? "ESMTP" : "SMTP");
    }

    /** MAIL FROM with the parameters the next hop offers. */
    private String mailCommand(Transaction.Sender sender) {
        StringBuilder line = new StringBuilder("MAIL FROM:<").append(sender.path()).append('>');
        if (sender.size() >= 0 && hop.has("SIZE")) {
            line.append(" SIZE=").append(sender.size());
        }
        if (!sender.body().isEmpty() && hop.has("8BITMIME")) {
            line.append(" BODY=").append(sender.body());
        }
        if (sender.utf8()) {
            line.append(" SMTPUTF8");
        }
        if (!sender.dsn().isEmpty() && hop.has("DSN")) {
            line.append(' ').append(sender.dsn());
        }
        return line.toString();
    }

    @Override
    public SmtpReply rcpt(String recipient, boolean local, String dsn) {
        if (hop == null) {
            return unreachable();
        }
        try {
            String params = !dsn.isEmpty() && hop.has("DSN") ? " " + dsn : "";
            return relayed(hop.command("RCPT TO:<" + recipient + ">" + params));
        } catch (IOException e) {
            drop();
            return unreachable();
        }
    }

    @Override
    public SmtpReply deliver(Transaction tx, MessageBuffer message) {
        if (hop == null) {
            return unreachable();
        }
        ScanStep.Decision decision = factory.scan().check(message, tx);
        try {
            return switch (decision) {
                case ScanStep.Decision.Refuse r -> {
                    reset();
                    yield r.reply();
                }
                case ScanStep.Decision.Quarantine q -> {
                    reset();
                    factory.quarantine().orElseThrow().store(tx, message, q.headers());
                    yield SmtpReply.of(250, "2.0.0", "Ok: queued as " + tx.id() + " (quarantined)");
                }
                case ScanStep.Decision.Deliver d -> send(message, String.join("", d.headers()).getBytes(StandardCharsets.UTF_8));
            };
        } catch (IOException e) {
            LOG.log(Level.INFO, "relaying " + tx.id() + " to " + factory.to() + " failed: " + e.getMessage());
            drop();
            return SmtpReply.of(451, "4.4.2", "Connection to next hop lost");
        } finally {
            inTransaction = false;
        }
    }

    private SmtpReply send(MessageBuffer message, byte[] headers) throws IOException {
        if (hop.has("CHUNKING")) {
            OutputStream out = hop.output();
            out.write(("BDAT " + (headers.length + message.size()) + " LAST\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(headers);
            try (InputStream in = message.open()) {
                in.transferTo(out);
            }
            return relayed(hop.readReply());
        }
        SmtpReply go = hop.command("DATA");
        if (go.code() != 354) {
            return go.code() < 400 ? SmtpReply.of(451, "4.4.2", "Next hop answered DATA with " + go.code()) : relayed(go);
        }
        DotStuffer.Output out = DotStuffer.stuffing(hop.output());
        out.write(headers);
        try (InputStream in = message.open()) {
            in.transferTo(out);
        }
        out.finish();
        return relayed(hop.readReply());
    }

    @Override
    public void reset() {
        if (hop != null && inTransaction) {
            try {
                hop.command("RSET");
            } catch (IOException e) {
                drop();
            }
        }
        inTransaction = false;
    }

    @Override
    public void close() {
        if (hop != null) {
            try {
                hop.command("QUIT");
            } catch (IOException ignored) {
                // The next hop may close first; the socket is closed either way.
            }
            drop();
        }
    }

    private void drop() {
        if (hop != null) {
            hop.close();
            hop = null;
        }
        inTransaction = false;
    }

    private static SmtpReply unreachable() {
        return SmtpReply.of(451, "4.4.1", "Next hop unreachable, try again later");
    }

    /** The next hop's reply as the client's: same code, same text, an enhanced code, a prefix. */
    static SmtpReply relayed(SmtpReply reply) {
        String enhanced = (reply.code() / 100) + ".0.0";
        List<String> lines = new ArrayList<>();
        for (String line : reply.lines()) {
            Matcher m = ENHANCED.matcher(line);
            if (m.matches()) {
                if (lines.isEmpty()) {
                    enhanced = m.group(1);
                }
                line = m.group(2);
            }
            lines.add(lines.isEmpty() ? "next hop: " + line : line);
        }
        return new SmtpReply(reply.code(), enhanced, lines);
    }
}
