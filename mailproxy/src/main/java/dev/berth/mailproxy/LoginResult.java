package dev.berth.mailproxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.Objects;

/**
 * A logged-in upstream connection, handed from {@link UpstreamConnector} to a frontend.
 *
 * @param upstream the connection, active, with only its TLS handler (if any) left in the pipeline
 *     and auto-read off; the receiver owns and closes it
 * @param success the upstream's login reply
 * @param rest bytes the upstream sent after its login reply, to be passed to the client; the
 *     receiver releases it
 */
record LoginResult(Channel upstream, LoginStep.Succeeded success, ByteBuf rest) {

    /** Checks the arguments. */
    LoginResult {
        Objects.requireNonNull(upstream, "upstream");
        Objects.requireNonNull(success, "success");
        Objects.requireNonNull(rest, "rest");
    }
}
