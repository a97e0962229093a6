package dev.berth.dispatcher;

/**
 * An accepted connection the dispatcher holds until a worker acknowledges it.
 *
 * @param fd the connected TCP socket (non-blocking, close-on-exec); the dispatcher's copy
 * @param service the service whose listener it came in on
 * @param lane the pool instance whose workers take it (docs/adr/0013): the dispatcher's pool, or
 *     {@code POOL@GROUP} for a tenant group's connection
 */
record Connection(int fd, String service, String lane) {
}
