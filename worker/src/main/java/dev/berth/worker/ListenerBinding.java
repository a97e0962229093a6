package dev.berth.worker;

import dev.berth.posix.TcpListener;
import dev.berth.service.ServiceHandler;

/**
 * A listening socket this worker accepts from, and the handler of its service.
 *
 * @param service the service's name
 * @param listener the socket, owned by the worker
 * @param handler the service's handler in this worker
 */
record ListenerBinding(String service, TcpListener listener, ServiceHandler handler) {
}
