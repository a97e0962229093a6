package dev.berth.smtp;

/**
 * Maildir delivery with a next hop for the rest: local recipients go to the {@link
 * MaildirTransport}, others (already allowed by the relay policy) to a {@link RelayTransport}
 * opened at the first such recipient. One transaction goes one way: a recipient of the other kind
 * gets 452 4.5.3, so the client sends it in a transaction of its own (RFC 5321 3.3), and no
 * message is ever half delivered.
 *
 * <p>One per connection; blocking (the relay leg does network I/O); the session's thread.
 */
final class RoutingTransport implements Transport {

    private enum Route { NONE, LOCAL, RELAY }

    private final Transport local;
    private final RelayTransport.Factory relayFactory;
    private RelayTransport relay;
    private Transaction.Sender sender;
    private Transaction.ClientFacts client;
    private Route route = Route.NONE;

    RoutingTransport(Transport local, RelayTransport.Factory relayFactory) {
        this.local = local;
        this.relayFactory = relayFactory;
    }

    @Override
    public boolean blocking() {
        return true;
    }

    @Override
    public SmtpReply mail(Transaction.Sender sender, Transaction.ClientFacts client) {
        this.sender = sender;
        this.client = client;
        route = Route.NONE;
        return local.mail(sender, client);
    }

    @Override
    public SmtpReply rcpt(String recipient, boolean isLocal, String dsn) {
        Route wanted = isLocal ? Route.LOCAL : Route.RELAY;
        if (route != Route.NONE && route != wanted) {
            return SmtpReply.of(452, "4.5.3", "<" + recipient + ">: send this recipient in a separate transaction");
        }
        if (isLocal) {
            SmtpReply reply = local.rcpt(recipient, true, dsn);
            route = reply.isPositive() ? Route.LOCAL : route;
            return reply;
        }
        if (route == Route.NONE) {
            if (relay == null) {
                relay = relayFactory.open();
            }
            SmtpReply opened = relay.mail(sender, client);
            if (!opened.isPositive()) {
                return opened;
            }
            route = Route.RELAY;
        }
        return relay.rcpt(recipient, false, dsn);
    }

    @Override
    public SmtpReply deliver(Transaction tx, MessageBuffer message) {
        SmtpReply reply = route == Route.RELAY ? relay.deliver(tx, message) : local.deliver(tx, message);
        route = Route.NONE;
        return reply;
    }

    @Override
    public void reset() {
        local.reset();
        if (relay != null) {
            relay.reset();
        }
        route = Route.NONE;
    }

    @Override
    public void close() {
        local.close();
        if (relay != null) {
            relay.close();
        }
    }
}
