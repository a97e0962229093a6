"""POP3 load: PROCS processes for SECS seconds; each session USER/PASS, STAT, UIDL, RETR of every
message, QUIT (no DELE). Users user01..user20 with passwords pw01..pw20. Prints one JSON line.

usage: popbench.py HOST PORT SECS PROCS [USER_PREFIX]   (users PREFIX01..PREFIX20, default "user")"""
import json
import poplib
import sys
import time
from multiprocessing import Pool

host, port, secs, procs = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
prefix = sys.argv[5] if len(sys.argv) > 5 else 'user'
users = [(f'{prefix}{i:02d}', f'pw{i:02d}') for i in range(1, 21)]


def worker(k):
    end = time.time() + secs
    sessions = msgs = octets = errors = 0
    n = k
    while time.time() < end:
        u, pw = users[n % len(users)]
        n += procs
        try:
            p = poplib.POP3(host, port, timeout=10)
            p.user(u)
            p.pass_(pw)
            count, _ = p.stat()
            p.uidl()
            for i in range(1, count + 1):
                r = p.retr(i)
                msgs += 1
                octets += r[2]
            p.quit()
            sessions += 1
        except (poplib.error_proto, OSError):
            errors += 1
    return sessions, msgs, octets, errors


if __name__ == '__main__':
    t = time.time()
    with Pool(procs) as pool:
        res = pool.map(worker, range(procs))
    dt = time.time() - t
    s, m, o, e = (sum(r[i] for r in res) for i in range(4))
    print(json.dumps({'port': port, 'procs': procs, 'seconds': round(dt, 2), 'sessions_s': s / dt,
                      'retr_s': m / dt, 'mb_s': o / dt / 1e6, 'errors': e}))
