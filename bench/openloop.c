/*
 * openloop: an open-loop HTTP/1.1 load generator for bench/run.
 *
 * It schedules request i at t0 + i/RATE for DURATION seconds, whatever the server does, and
 * measures each request's latency from that scheduled start (so a stalled server shows up in the
 * tail instead of slowing the generator down: no coordinated omission). Single-threaded, epoll.
 *
 *   openloop -p PORT -r RATE -d SECONDS [-H HOST] [-t TIMEOUT_MS] [-k CONNECTIONS]
 *            [-w FROM:TO ...] [-o FILE] [-q]
 *
 *   -k 0 (default)  a new connection per request (`Connection: close`); the request is written as
 *                   soon as the connection is up, the latency ends when the whole response
 *                   (Content-Length) has been read.
 *   -k N            N keep-alive connections opened before t0, each of which has carried one
 *                   request (answered) before t0; a due request goes to an idle connection, or
 *                   waits (FIFO) until one is free. A connection that fails is reopened.
 *   -t              per-request timeout from the scheduled start (default 3000 ms): the request
 *                   counts as an error (timeout) and its connection is closed.
 *   -w FROM:TO      also report requests scheduled in [FROM, TO) seconds (repeatable).
 *   -o FILE         also write one line per request to FILE: its scheduled start on CLOCK_MONOTONIC
 *                   in ns (the clock of the JVM's -Xlog `timenanos` decorator, so a request can be
 *                   lined up with GC pauses and safepoints), its latency in µs (-1: failed), and
 *                   its start lag in µs.
 *
 * Failed requests (refused, reset, timeout, ...) count as infinitely slow in the percentiles, so
 * a percentile that lands on a failure prints as "fail" (null in the JSON). The last line of the
 * output is `JSON {...}` with everything, including a per-second timeline.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum outcome { PENDING = 0, OK, E_REFUSED, E_RESET, E_TIMEOUT_CONNECT, E_TIMEOUT_RESPONSE, E_BADSTATUS,
               E_CLIENT, E_OTHER, N_OUTCOMES };
static const char *OUTCOME_NAMES[N_OUTCOMES] = {"pending", "ok", "refused", "reset", "timeout_connect",
                                                "timeout_response", "bad_status", "client_limit", "other"};

#define FAIL_NS UINT64_MAX
#define BUF 4096
#define MAX_WINDOWS 8

typedef struct conn {
    int fd;
    int64_t req;           /* request on this connection, -1 if idle */
    int connected;
    size_t len;            /* bytes in buf */
    char buf[BUF];
    struct conn *prev, *next;   /* in the in-flight list (ordered by scheduled start) */
} conn;

static uint64_t *lat;      /* per request: latency ns, FAIL_NS if failed */
static uint8_t *res;       /* per request: outcome */
static uint64_t *started;  /* per request: actual start - scheduled start, ns */
static int64_t nreq;
static double rate;
static uint64_t t0;
static uint64_t timeout_ns = 3000000000ull;
static int ep;
static struct sockaddr_in addr;
static char request[256];
static size_t request_len;
static conn *head, *tail;  /* in-flight list */
static int open_fds, max_fds;
static int keepalive_n;
static conn **pool;        /* keep-alive connections */
static int64_t reconnects;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
static uint64_t sched_ns(int64_t i) { return t0 + (uint64_t)((double)i * 1e9 / rate); }

static void die(const char *m) { perror(m); exit(2); }

static void list_add(conn *c) {
    c->prev = tail; c->next = NULL;
    if (tail) tail->next = c; else head = c;
    tail = c;
}
static void list_del(conn *c) {
    if (c->prev) c->prev->next = c->next; else if (head == c) head = c->next;
    if (c->next) c->next->prev = c->prev; else if (tail == c) tail = c->prev;
    c->prev = c->next = NULL;
}

static void finish(int64_t r, int outcome, uint64_t t) {
    if (r < 0 || res[r] != PENDING) return;
    res[r] = (uint8_t)outcome;
    lat[r] = outcome == OK ? t - sched_ns(r) : FAIL_NS;
}

static int errno_outcome(int e) {
    if (e == ECONNREFUSED) return E_REFUSED;
    if (e == ECONNRESET || e == EPIPE || e == ECONNABORTED) return E_RESET;
    if (e == EMFILE || e == ENFILE || e == EADDRNOTAVAIL || e == EAGAIN) return E_CLIENT;
    return E_OTHER;
}

static void close_conn(conn *c) {
    if (c->fd >= 0) { close(c->fd); open_fds--; c->fd = -1; }
    c->connected = 0; c->len = 0;
}

/* Opens c's socket and starts connecting. Returns 0, or an outcome on failure. */
static int open_conn(conn *c) {
    if (open_fds >= max_fds) return E_CLIENT;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno_outcome(errno);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    open_fds++;
    c->fd = fd; c->len = 0; c->connected = 0;
    int rc = connect(fd, (struct sockaddr *)&addr, sizeof addr);
    if (rc < 0 && errno != EINPROGRESS) { int o = errno_outcome(errno); close_conn(c); return o; }
    struct epoll_event ev = {.events = EPOLLOUT | EPOLLIN | EPOLLRDHUP, .data.ptr = c};
    if (epoll_ctl(ep, EPOLL_CTL_ADD, fd, &ev) < 0) die("epoll_ctl");
    return 0;
}

/* Parses a complete response in c->buf: returns its length, 0 if incomplete, -1 if malformed. */
static long response_len(conn *c, int *status) {
    char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
    if (!end) return c->len >= BUF ? -1 : 0;
    size_t hdr = (size_t)(end - c->buf) + 4;
    if (c->len < 12 || memcmp(c->buf, "HTTP/1.", 7) != 0) return -1;
    *status = atoi(c->buf + 9);
    long clen = -1;
    for (char *p = c->buf; p < end; ) {
        char *eol = memmem(p, (size_t)(end - p) + 2, "\r\n", 2);
        if (!eol) break;
        if (eol - p > 15 && strncasecmp(p, "content-length:", 15) == 0) clen = atol(p + 15);
        p = eol + 2;
    }
    if (clen < 0) return -1;   /* the bench servers always send Content-Length */
    return hdr + (size_t)clen <= c->len ? (long)(hdr + (size_t)clen) : 0;
}

static void send_request(conn *c) {
    ssize_t n = send(c->fd, request, request_len, MSG_NOSIGNAL);
    if (n == (ssize_t)request_len) return;
    /* a 100-byte request on a fresh loopback socket never writes partially */
    finish(c->req, n < 0 ? errno_outcome(errno) : E_OTHER, now_ns());
    c->req = -1;
    list_del(c);
    close_conn(c);
}

/* conn-per-request: request i starts now on a new connection */
static void start_close_mode(int64_t i) {
    conn *c = calloc(1, sizeof *c);
    if (!c) die("calloc");
    c->fd = -1; c->req = i;
    int o = open_conn(c);
    if (o) { finish(i, o, now_ns()); free(c); return; }
    list_add(c);
}

static void ka_fail_and_reopen(conn *c, int outcome, uint64_t t) {
    finish(c->req, outcome, t);
    if (c->req >= 0) list_del(c);
    c->req = -1;
    close_conn(c);
    reconnects++;
    open_conn(c);   /* on failure c->fd stays -1: retried when a request needs it */
}

static int64_t next_unassigned;   /* keep-alive: first due request without a connection */

static void ka_assign(conn *c, uint64_t t) {
    if (c->req >= 0 || c->fd < 0 || !c->connected) return;
    if (next_unassigned >= nreq || sched_ns(next_unassigned) > t) return;
    c->req = next_unassigned++;
    started[c->req] = t - sched_ns(c->req);
    list_add(c);
    send_request(c);
    if (c->req < 0) { reconnects++; open_conn(c); }
}

static void on_event(conn *c, uint32_t events, uint64_t t) {
    if (c->fd < 0) return;
    if (!c->connected && (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
        int err = 0; socklen_t l = sizeof err;
        getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
        if (err) {
            if (keepalive_n) { ka_fail_and_reopen(c, errno_outcome(err), t); return; }
            finish(c->req, errno_outcome(err), t); list_del(c); close_conn(c); free(c); return;
        }
        c->connected = 1;
        struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
        epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
        if (keepalive_n) { ka_assign(c, t); return; }
        send_request(c);
        if (c->fd < 0) { free(c); return; }
        if (!(events & EPOLLIN)) return;
    }
    if (!(events & (EPOLLIN | EPOLLRDHUP | EPOLLERR | EPOLLHUP))) return;
    for (;;) {
        ssize_t n = recv(c->fd, c->buf + c->len, BUF - c->len, 0);
        if (n > 0) {
            c->len += (size_t)n;
            int status = 0;
            long rl = response_len(c, &status);
            if (rl == 0) continue;
            if (rl < 0 || c->req < 0) {   /* garbage, or bytes nobody asked for */
                if (keepalive_n) { ka_fail_and_reopen(c, E_OTHER, t); return; }
                finish(c->req, E_OTHER, t); list_del(c); close_conn(c); free(c); return;
            }
            finish(c->req, status == 200 ? OK : E_BADSTATUS, t);
            if (!keepalive_n) { list_del(c); close_conn(c); free(c); return; }
            list_del(c);
            c->req = -1;
            memmove(c->buf, c->buf + rl, c->len - (size_t)rl);
            c->len -= (size_t)rl;
            continue;   /* overdue requests are handed out round-robin by the main loop */
        }
        if (n == 0) {   /* closed before (the rest of) the response */
            if (keepalive_n) { ka_fail_and_reopen(c, c->req >= 0 ? E_RESET : OK, t); return; }
            finish(c->req, E_RESET, t); list_del(c); close_conn(c); free(c); return;
        }
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;
        if (errno == EINTR) continue;
        if (keepalive_n) { ka_fail_and_reopen(c, errno_outcome(errno), t); return; }
        finish(c->req, errno_outcome(errno), t); list_del(c); close_conn(c); free(c); return;
    }
}

static void expire(uint64_t t) {
    while (head && sched_ns(head->req) + timeout_ns <= t) {
        conn *c = head;
        int o = c->connected ? E_TIMEOUT_RESPONSE : E_TIMEOUT_CONNECT;
        if (keepalive_n) { ka_fail_and_reopen(c, o, t); continue; }
        finish(c->req, o, t); list_del(c); close_conn(c); free(c);
    }
    if (keepalive_n) {   /* requests still waiting for a free connection */
        while (next_unassigned < nreq && sched_ns(next_unassigned) + timeout_ns <= t) {
            started[next_unassigned] = t - sched_ns(next_unassigned);
            finish(next_unassigned++, E_TIMEOUT_CONNECT, t);
        }
    }
}

/* Keep-alive: one request on every connection, answered, before t0. A connection is up for the
 * client once the kernel completed the handshake, not once the server accepted it, so without
 * this the first requests of the measured window would also time the server's accepting (and
 * compiling the code for) 64 connections at once, which the connection-per-request run measures
 * on its own. Returns 0 when every connection got a whole 200 response before the deadline. */
static int prime(uint64_t deadline) {
    int answered = 0, status;
    for (int i = 0; i < keepalive_n; i++)
        if (send(pool[i]->fd, request, request_len, MSG_NOSIGNAL) != (ssize_t)request_len) return -1;
    struct epoll_event evs[256];
    while (answered < keepalive_n) {
        if (now_ns() > deadline) return -1;
        int n = epoll_wait(ep, evs, 256, 100);
        for (int i = 0; i < n; i++) {
            conn *c = evs[i].data.ptr;
            ssize_t r = recv(c->fd, c->buf + c->len, BUF - c->len, 0);
            if (r <= 0) { if (r < 0 && (errno == EAGAIN || errno == EINTR)) continue; return -1; }
            c->len += (size_t)r;
            long rl = response_len(c, &status);
            if (rl < 0 || (rl > 0 && status != 200)) return -1;
            if (rl > 0) { memmove(c->buf, c->buf + rl, c->len - (size_t)rl); c->len -= (size_t)rl; answered++; }
        }
    }
    return 0;
}

static int cmp_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

typedef struct {
    int64_t count, ok, by[N_OUTCOMES];
    double p50, p90, p99, p999, max;   /* ms; <0 = a failure */
} stats;

static double pct(uint64_t *v, int64_t n, double q) {
    if (n == 0) return 0;
    int64_t k = (int64_t)(q * (double)n + 0.999999999);   /* nearest rank */
    if (k < 1) k = 1;
    if (k > n) k = n;
    return v[k - 1] == FAIL_NS ? -1 : (double)v[k - 1] / 1e6;
}

static stats compute(int64_t from, int64_t to, uint64_t *scratch) {
    stats s;
    memset(&s, 0, sizeof s);
    int64_t n = 0;
    for (int64_t i = from; i < to && i < nreq; i++) {
        s.by[res[i]]++;
        scratch[n++] = lat[i];
    }
    s.count = n;
    s.ok = s.by[OK];
    qsort(scratch, (size_t)n, sizeof *scratch, cmp_u64);
    s.p50 = pct(scratch, n, 0.50); s.p90 = pct(scratch, n, 0.90);
    s.p99 = pct(scratch, n, 0.99); s.p999 = pct(scratch, n, 0.999);
    s.max = n ? pct(scratch, n, 1.0) : 0;
    return s;
}

static void fmt_ms(char *out, size_t sz, double v) {
    if (v < 0) snprintf(out, sz, "fail"); else snprintf(out, sz, "%.3f", v);
}
static void json_ms(FILE *f, const char *k, double v) {
    if (v < 0) fprintf(f, "\"%s\":null", k); else fprintf(f, "\"%s\":%.3f", k, v);
}

static void print_stats(const char *label, stats *s) {
    char a[32], b[32], c[32], d[32], e[32];
    fmt_ms(a, sizeof a, s->p50); fmt_ms(b, sizeof b, s->p90); fmt_ms(c, sizeof c, s->p99);
    fmt_ms(d, sizeof d, s->p999); fmt_ms(e, sizeof e, s->max);
    int64_t errors = s->count - s->ok;
    printf("%-14s requests %lld  ok %lld  errors %lld", label, (long long)s->count, (long long)s->ok,
           (long long)errors);
    if (errors) {
        printf(" (");
        const char *sep = "";
        for (int o = E_REFUSED; o < N_OUTCOMES; o++)
            if (s->by[o]) { printf("%s%s %lld", sep, OUTCOME_NAMES[o], (long long)s->by[o]); sep = ", "; }
        if (s->by[PENDING]) printf("%spending %lld", sep, (long long)s->by[PENDING]);
        printf(")");
    }
    printf("\n%-14s latency ms  p50 %s  p90 %s  p99 %s  p99.9 %s  max %s\n", "", a, b, c, d, e);
}

static void json_stats(FILE *f, stats *s) {
    fprintf(f, "{\"requests\":%lld,\"ok\":%lld,\"errors\":%lld,", (long long)s->count, (long long)s->ok,
            (long long)(s->count - s->ok));
    fprintf(f, "\"by\":{");
    for (int o = E_REFUSED; o < N_OUTCOMES; o++)
        fprintf(f, "%s\"%s\":%lld", o == E_REFUSED ? "" : ",", OUTCOME_NAMES[o], (long long)s->by[o]);
    fprintf(f, ",\"pending\":%lld},", (long long)s->by[PENDING]);
    json_ms(f, "p50", s->p50); fputc(',', f); json_ms(f, "p90", s->p90); fputc(',', f);
    json_ms(f, "p99", s->p99); fputc(',', f); json_ms(f, "p999", s->p999); fputc(',', f);
    json_ms(f, "max", s->max); fputc('}', f);
}

static int64_t index_at(double sec) {   /* first request scheduled at or after sec */
    if (sec <= 0) return 0;
    int64_t i = (int64_t)(sec * rate);
    while (i > 0 && (double)(i - 1) / rate >= sec) i--;
    while (i < nreq && (double)i / rate < sec) i++;
    return i > nreq ? nreq : i;
}

static void usage(void) {
    fprintf(stderr, "usage: openloop -p PORT -r RATE -d SECONDS [-H HOST] [-t TIMEOUT_MS] [-k CONNS] "
                    "[-w FROM:TO]... [-o FILE] [-q]\n");
    exit(2);
}

int main(int argc, char **argv) {
    const char *host = "127.0.0.1", *dump = NULL;
    int port = 0, opt, quiet = 0, nwin = 0;
    double duration = 0, win[MAX_WINDOWS][2];
    while ((opt = getopt(argc, argv, "H:p:r:d:t:k:w:o:q")) != -1) {
        switch (opt) {
        case 'H': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 'r': rate = atof(optarg); break;
        case 'd': duration = atof(optarg); break;
        case 't': timeout_ns = (uint64_t)(atof(optarg) * 1e6); break;
        case 'k': keepalive_n = atoi(optarg); break;
        case 'w':
            if (nwin == MAX_WINDOWS || sscanf(optarg, "%lf:%lf", &win[nwin][0], &win[nwin][1]) != 2) usage();
            nwin++;
            break;
        case 'o': dump = optarg; break;
        case 'q': quiet = 1; break;
        default: usage();
        }
    }
    if (port <= 0 || rate <= 0 || duration <= 0 || timeout_ns == 0 || keepalive_n < 0) usage();
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) { fprintf(stderr, "openloop: bad host %s\n", host); return 2; }
    request_len = (size_t)snprintf(request, sizeof request, "GET / HTTP/1.1\r\nHost: %s:%d\r\n%s\r\n", host,
                                   port, keepalive_n ? "" : "Connection: close\r\n");
    signal(SIGPIPE, SIG_IGN);
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);   /* wake up on time, not 50 µs late */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        max_fds = (int)(rl.rlim_cur > 1100000 ? 1000000 : rl.rlim_cur - 100);
    } else {
        max_fds = 900;
    }
    nreq = (int64_t)(rate * duration);
    lat = calloc((size_t)nreq + 1, sizeof *lat);
    res = calloc((size_t)nreq + 1, 1);
    started = calloc((size_t)nreq + 1, sizeof *started);
    uint64_t *scratch = malloc(((size_t)nreq + 1) * sizeof *scratch);
    if (!lat || !res || !started || !scratch) die("calloc");
    ep = epoll_create1(EPOLL_CLOEXEC);
    if (ep < 0) die("epoll_create1");

    if (keepalive_n) {   /* open the connections first, outside the measured window */
        pool = calloc((size_t)keepalive_n, sizeof *pool);
        for (int i = 0; i < keepalive_n; i++) {
            pool[i] = calloc(1, sizeof(conn));
            pool[i]->fd = -1; pool[i]->req = -1;
            if (open_conn(pool[i])) { fprintf(stderr, "openloop: cannot connect to %s:%d\n", host, port); return 1; }
        }
        uint64_t deadline = now_ns() + 5000000000ull;
        struct epoll_event evs[256];
        for (;;) {
            int up = 0;
            for (int i = 0; i < keepalive_n; i++) up += pool[i]->connected;
            if (up == keepalive_n) break;
            if (now_ns() > deadline) { fprintf(stderr, "openloop: only %d of %d connections up\n", up, keepalive_n); return 1; }
            int n = epoll_wait(ep, evs, 256, 100);
            for (int i = 0; i < n; i++) {
                conn *c = evs[i].data.ptr;
                if (!c->connected && (evs[i].events & (EPOLLOUT | EPOLLERR | EPOLLHUP))) {
                    int err = 0; socklen_t l = sizeof err;
                    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &l);
                    if (err) { fprintf(stderr, "openloop: connect: %s\n", strerror(err)); return 1; }
                    c->connected = 1;
                    struct epoll_event ev = {.events = EPOLLIN | EPOLLRDHUP, .data.ptr = c};
                    epoll_ctl(ep, EPOLL_CTL_MOD, c->fd, &ev);
                }
            }
        }
        if (prime(now_ns() + 5000000000ull)) { fprintf(stderr, "openloop: the server did not answer every connection's first request\n"); return 1; }
    }

    t0 = now_ns() + 1000000;   /* 1 ms from now */
    uint64_t end_sched = sched_ns(nreq), hard_end = end_sched + timeout_ns + 100000000ull;
    int64_t next = 0;           /* conn-per-request: next request to start */
    int rr = 0;                 /* keep-alive: next connection to offer a request to */
    struct epoll_event evs[1024];
    for (;;) {
        uint64_t t = now_ns();
        if (keepalive_n) {   /* round-robin over idle connections, so that all of them carry load */
            for (int k = 0; k < keepalive_n && next_unassigned < nreq && sched_ns(next_unassigned) <= t; k++) {
                conn *c = pool[rr];
                rr = (rr + 1) % keepalive_n;
                if (c->fd < 0 && c->req < 0) { reconnects++; open_conn(c); continue; }
                ka_assign(c, t);
            }
        } else {
            int burst = 0;
            while (next < nreq && sched_ns(next) <= t && burst++ < 256) {
                started[next] = t - sched_ns(next);
                start_close_mode(next++);
            }
        }
        expire(t);
        int64_t due = keepalive_n ? next_unassigned : next;
        int outstanding = head != NULL || (keepalive_n && due < nreq);
        if (due >= nreq && !head) break;
        if (t > hard_end) break;
        (void)outstanding;
        /* sleep until the next scheduled start or the next timeout, whichever is first */
        uint64_t wake = hard_end;
        if (due < nreq) {
            uint64_t s = sched_ns(due);
            if (keepalive_n) {
                int idle = 0;
                for (int i = 0; i < keepalive_n && !idle; i++) idle = pool[i]->req < 0;
                if (!idle) s = sched_ns(due) + timeout_ns;   /* nothing to do until a response */
            }
            if (s < wake) wake = s;
        }
        if (head && sched_ns(head->req) + timeout_ns < wake) wake = sched_ns(head->req) + timeout_ns;
        t = now_ns();
        struct timespec ts = {0, 0};
        if (wake > t) { ts.tv_sec = (time_t)((wake - t) / 1000000000ull); ts.tv_nsec = (long)((wake - t) % 1000000000ull); }
        int n = epoll_pwait2(ep, evs, 1024, &ts, NULL);
        if (n < 0 && errno != EINTR) die("epoll_pwait2");
        t = now_ns();
        for (int i = 0; i < n; i++) on_event(evs[i].data.ptr, evs[i].events, t);
    }
    uint64_t t_end = now_ns();
    for (int64_t i = 0; i < nreq; i++)
        if (res[i] == PENDING) { res[i] = E_TIMEOUT_RESPONSE; lat[i] = FAIL_NS; }

    if (dump) {
        FILE *f = fopen(dump, "w");
        if (!f) die("fopen");
        for (int64_t i = 0; i < nreq; i++)
            fprintf(f, "%llu %lld %llu\n", (unsigned long long)sched_ns(i),
                    lat[i] == FAIL_NS ? -1LL : (long long)(lat[i] / 1000), (unsigned long long)(started[i] / 1000));
        fclose(f);
    }
    /* report */
    stats all = compute(0, nreq, scratch);
    for (int64_t i = 0; i < nreq; i++) scratch[i] = started[i];
    qsort(scratch, (size_t)nreq, sizeof *scratch, cmp_u64);
    double lag_p99 = nreq ? (double)scratch[(size_t)((double)nreq * 0.99)] / 1e6 : 0;
    double lag_max = nreq ? (double)scratch[nreq - 1] / 1e6 : 0;
    if (!quiet) {
        printf("openloop %s:%d  rate %.0f/s  %.1f s  %s  timeout %.0f ms\n", host, port, rate, duration,
               keepalive_n ? "keep-alive" : "connection per request", (double)timeout_ns / 1e6);
        if (keepalive_n) printf("keep-alive connections %d, reconnects %lld\n", keepalive_n, (long long)reconnects);
        print_stats("all", &all);
        for (int w = 0; w < nwin; w++) {
            stats s = compute(index_at(win[w][0]), index_at(win[w][1]), scratch);
            char label[32];
            snprintf(label, sizeof label, "%g-%g s", win[w][0], win[w][1]);
            print_stats(label, &s);
        }
        printf("start lag ms (actual start - scheduled start): p99 %.3f  max %.3f\n", lag_p99, lag_max);
        printf("elapsed %.2f s\n", (double)(t_end - t0) / 1e9);
    }
    printf("JSON {\"rate\":%.3f,\"duration_s\":%.3f,\"timeout_ms\":%.0f,\"keepalive_connections\":%d,"
           "\"reconnects\":%lld,\"start_lag_ms\":{\"p99\":%.3f,\"max\":%.3f},\"all\":",
           rate, duration, (double)timeout_ns / 1e6, keepalive_n, (long long)reconnects, lag_p99, lag_max);
    json_stats(stdout, &all);
    printf(",\"windows\":[");
    for (int w = 0; w < nwin; w++) {
        stats s = compute(index_at(win[w][0]), index_at(win[w][1]), scratch);
        printf("%s{\"from_s\":%g,\"to_s\":%g,\"stats\":", w ? "," : "", win[w][0], win[w][1]);
        json_stats(stdout, &s);
        printf("}");
    }
    printf("],\"per_second\":[");
    for (int sec = 0; sec < (int)(duration + 0.999); sec++) {
        stats s = compute(index_at(sec), index_at(sec + 1), scratch);
        printf("%s{\"second\":%d,\"stats\":", sec ? "," : "", sec);
        json_stats(stdout, &s);
        printf("}");
    }
    printf("]}\n");
    return 0;
}
