package dev.berth.master;

import dev.berth.config.AcceptStrategy;
import dev.berth.config.ListenAddress;
import dev.berth.posix.TcpListener;

/**
 * A listening socket the master holds for one configured address of one service.
 *
 * @param service the service's name
 * @param configured the address as the config names it (port 0 stays 0 here)
 * @param socket the socket, owned by the master's {@link Listeners}
 * @param accept the strategy of the service's pool, which decides how the socket was made
 * @param bound the address the kernel bound, with the real port
 */
record BoundListener(String service, ListenAddress configured, TcpListener socket, AcceptStrategy accept,
                     String bound) {
}
