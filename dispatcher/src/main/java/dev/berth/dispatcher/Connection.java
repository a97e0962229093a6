package dev.berth.dispatcher;

/**
 * An accepted connection the dispatcher holds until a worker acknowledges it.
 *
 * @param fd the connected TCP socket (non-blocking, close-on-exec); the dispatcher's copy
 * @param service the service whose listener it came in on
 */
record Connection(int fd, String service) {
}
