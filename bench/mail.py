#!/usr/bin/env python3
"""berth's mail services against real peers on this machine, in one run (DESIGN.md §12).

SMTP: Postfix's smtp-source sends the same load (N messages of SIZE bytes over CONC sessions, one
recipient each) to berth's smtp kind and to a scratch Postfix, each delivering durably into a Maildir
(berth: fsync before 250; Postfix: queue file fsync, then virtual(8) into Maildir) and each relaying
to the same smtp-sink. Figures are messages per second end to end: until the last file is in the
Maildir (or the sink).

POP3: popbench.py (CONC client processes for DURATION s; each session logs in, STAT, UIDL, RETRs
every message, QUITs; no DELE) against Dovecot directly, through berth's pop3-proxy (dedicated,
STLS upstream like the peers), through Dovecot's own proxy, through perdition, and berth's own pop3
kind over a Maildir holding the same messages.

Usage: bench/mail [smtp|pop3|all]     (environment: see the constants below)
  POP_SERVERS=dovecot,berth_proxy_plain POP_LOADS=large bench/mail pop3    # only some servers, workloads
Writes bench/results/mail.md and mail.json; scratch files under bench/work/mail.
"""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, 'work', 'mail')
RESULTS = os.environ.get('RESULTS', os.path.join(BENCH, 'results'))
PEER = os.path.join(ROOT, 'peers', 'peer')
N = int(os.environ.get('MESSAGES', '3000'))
SIZE = int(os.environ.get('SIZE', '4096'))
CONC = int(os.environ.get('CONC', '20'))
ROUNDS = int(os.environ.get('ROUNDS', '2'))
POP_DURATION = float(os.environ.get('POP_DURATION', '10'))
POP_WARMUP = float(os.environ.get('POP_WARMUP', '2'))
POP_PROCS = int(os.environ.get('POP_PROCS', '4'))
POP_USERS = 20
POP_MESSAGES = int(os.environ.get('POP_MESSAGES', '10'))
LARGE_SIZE = int(os.environ.get('LARGE_SIZE', str(1 << 20)))
LARGE_MESSAGES = int(os.environ.get('LARGE_MESSAGES', '2'))
WORKERS = int(os.environ.get('WORKERS', '2'))
POP_SERVERS = ('dovecot', 'berth_proxy_plain', 'berth_proxy', 'dovecot_proxy', 'perdition', 'berth_pop3')
POP_ONLY = [n for n in os.environ.get('POP_SERVERS', ','.join(POP_SERVERS)).split(',') if n]
POP_LOADS = os.environ.get('POP_LOADS', 'small,large').split(',')

started = []


def log(*args):
    print(time.strftime('%H:%M:%S'), *args, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def await_port(port, what, proc=None, timeout=60):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.5).close()
            return
        except OSError:
            if proc is not None and proc.poll() is not None:
                raise SystemExit(f'{what} exited with {proc.returncode}')
            time.sleep(0.1)
    raise SystemExit(f'{what} did not listen on {port} within {timeout} s')


def peer(cmd, d, port, *args):
    os.makedirs(d, exist_ok=True)
    out = open(os.path.join(d, f'peer-{cmd}.log'), 'w')
    p = subprocess.Popen([PEER, cmd, d, *map(str, args)], stdout=out, stderr=subprocess.STDOUT)
    if cmd != 'postfix':
        started.append(p)
    await_port(port, cmd, p if cmd != 'postfix' else None)
    return p


def berth(d, yaml):
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'berth.yaml'), 'w') as f:
        f.write(yaml)
    out = open(os.path.join(d, 'master.log'), 'w')
    p = subprocess.Popen([os.path.join(ROOT, 'bin', 'berth'), 'run', '-c', os.path.join(d, 'berth.yaml')],
                         stdout=out, stderr=subprocess.STDOUT)
    started.append(p)
    return p


def stop_all():
    for p in reversed(started):
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
    for p in reversed(started):
        try:
            p.wait(20)
        except subprocess.TimeoutExpired:
            p.kill()
    started.clear()


def count_files(d):
    try:
        return len(os.listdir(d))
    except FileNotFoundError:
        return 0


def await_count(d, n, timeout=300):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if count_files(d) >= n:
            return True
        time.sleep(0.01)
    return False


def smtp_source(port, rcpt, n=N):
    t = time.time()
    r = subprocess.run(['smtp-source', '-s', str(CONC), '-m', str(n), '-l', str(SIZE),
                        '-f', 'sender@example.com', '-t', rcpt, f'127.0.0.1:{port}'],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f'smtp-source to {port} failed: {r.stderr[-500:]}')
    return t


def measure(port, rcpt, out_dir):
    """Messages per second from the first connect until out_dir holds N more files."""
    before = count_files(out_dir)
    smtp_source(port, rcpt, min(1000, N))  # warm-up (JIT, Postfix processes)
    await_count(out_dir, before + min(1000, N))
    before = count_files(out_dir)
    t = smtp_source(port, rcpt)
    if not await_count(out_dir, before + N):
        raise SystemExit(f'only {count_files(out_dir) - before} of {N} messages arrived in {out_dir}')
    return N / (time.time() - t)


BERTH_SMTP = """\
master: {{run-dir: run, log-dir: log}}
pools:
  mail: {{workers: {workers}, threads: 2}}
services:
  - name: mx
    kind: smtp
    pool: mail
    listen: ["127.0.0.1:{mx}"]
    smtp:
      hostname: berth.test
      deliver: maildir
      maildir: mail
      users: users.txt
      domains: [example.net]
      limits: {{message-size: 10m, connections-per-client: 1000}}
  - name: relay
    kind: smtp
    pool: mail
    listen: ["127.0.0.1:{relay}"]
    smtp:
      hostname: berth.test
      deliver: relay
      relay-to: "127.0.0.1:{sink}"
      relay-networks: [127.0.0.0/8]
      limits: {{message-size: 10m, connections-per-client: 1000}}
"""


def smtp_suite():
    base = os.path.join(WORK, 'smtp')
    shutil.rmtree(base, ignore_errors=True)
    sink_port, pf_port, mx, relay = free_port(), free_port(), free_port(), free_port()
    peer('sink', os.path.join(base, 'sink'), sink_port, sink_port)
    sink_dir = os.path.join(base, 'sink', 'sink')
    pfx = os.path.join(base, 'postfix')
    peer('postfix', pfx, pf_port, pf_port, sink_port)
    d = os.path.join(base, 'berth')
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, 'users.txt'), 'w') as f:
        f.write('rcpt@example.net:{PLAIN}secret\n')
    b = berth(d, BERTH_SMTP.format(workers=WORKERS, mx=mx, relay=relay, sink=sink_port))
    await_port(mx, 'berth smtp', b)
    await_port(relay, 'berth relay', b)
    rows = []
    try:
        for r in range(ROUNDS):
            log(f'smtp round {r + 1}/{ROUNDS}')
            rows.append({
                'round': r + 1,
                'berth_maildir': measure(mx, 'rcpt@example.net', os.path.join(d, 'mail', 'example.net', 'rcpt', 'new')),
                'postfix_maildir': measure(pf_port, 'rcpt@example.net', os.path.join(pfx, 'vmail', 'catchall', 'new')),
                'berth_relay': measure(relay, 'rcpt@example.org', sink_dir),
                'postfix_relay': measure(pf_port, 'rcpt@example.org', sink_dir),
            })
            log(rows[-1])
    finally:
        subprocess.run([PEER, 'postfix-stop', pfx], capture_output=True)
        stop_all()
    return rows


POP3_BERTH = """\
master: {{run-dir: run, log-dir: log}}
pools:
  mail: {{workers: {workers}, threads: 2}}
services:
  - name: proxy
    kind: pop3-proxy
    pool: mail
    listen: ["127.0.0.1:{proxy}"]
    pop3-proxy: {{upstream: "127.0.0.1:{dovecot}", upstream-tls: starttls, upstream-tls-verify: false}}
  - name: proxy-plain
    kind: pop3-proxy
    pool: mail
    listen: ["127.0.0.1:{plain}"]
    pop3-proxy: {{upstream: "127.0.0.1:{dovecot}"}}
  - name: pop3
    kind: pop3
    pool: mail
    listen: ["127.0.0.1:{pop3}"]
    pop3: {{maildir: mail, users: users.txt, allow-plaintext-auth: true}}
"""


def message(i, user, size):
    body = (f'From: bench@example.com\r\nTo: {user}@example.net\r\nSubject: message {i}\r\n'
            f'Message-ID: <{user}.{i}@bench.example>\r\n\r\n')
    line = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.\r\n'
    return (body + line * (size // len(line))).encode()


def seed(mail_root, domainless_root):
    """user01..20 with POP_MESSAGES messages of SIZE; big01..20 with LARGE_MESSAGES of LARGE_SIZE."""
    users = []
    for prefix, count, size in (('user', POP_MESSAGES, SIZE), ('big', LARGE_MESSAGES, LARGE_SIZE)):
        for u in range(1, POP_USERS + 1):
            users.append(seed_user(mail_root, domainless_root, f'{prefix}{u:02d}', f'pw{u:02d}', count, size))
    return ''.join(users)


def seed_user(mail_root, domainless_root, user, password, count, size):
    for root in (mail_root, domainless_root):
        for sub in ('cur', 'new', 'tmp'):
            os.makedirs(os.path.join(root, user, sub), exist_ok=True)
        for i in range(count):
            data = message(i, user, size)
            name = f'17000000{i:02d}.M{i}P1.bench,S={len(data)}'
            with open(os.path.join(root, user, 'new', name), 'wb') as f:
                f.write(data)
    return f'{user}:{{PLAIN}}{password}\n'


def popbench(port, prefix='user'):
    r = subprocess.run([sys.executable, os.path.join(BENCH, 'popbench.py'), '127.0.0.1', str(port),
                        str(POP_DURATION), str(POP_PROCS), prefix], capture_output=True, text=True, timeout=POP_DURATION * 10 + 60)
    if r.returncode != 0:
        raise SystemExit(f'popbench on {port} failed: {r.stderr[-800:]}')
    return json.loads(r.stdout.strip().splitlines()[-1])


def pop3_suite():
    base = os.path.join(WORK, 'pop3')
    shutil.rmtree(base, ignore_errors=True)
    dv = os.path.join(base, 'dovecot')
    d = os.path.join(base, 'berth')
    os.makedirs(dv, exist_ok=True)
    users = seed(os.path.join(dv, 'mail'), os.path.join(d, 'mail'))
    with open(os.path.join(dv, 'users'), 'w') as f:
        f.write(users)
    with open(os.path.join(d, 'users.txt'), 'w') as f:
        f.write(users)
    pop, imap, ppop, pimap, perd, proxy, own, plain = (free_port() for _ in range(8))
    peer('dovecot', dv, pop, pop, imap)
    peer('dovecot-proxy', os.path.join(base, 'dovecot-proxy'), ppop, ppop, pimap, pop, imap)
    peer('perdition', os.path.join(base, 'perdition'), perd, perd, pop)
    b = berth(d, POP3_BERTH.format(workers=WORKERS, proxy=proxy, dovecot=pop, pop3=own, plain=plain))
    await_port(proxy, 'berth pop3-proxy', b)
    await_port(own, 'berth pop3', b)
    targets = [('dovecot', pop), ('berth_proxy_plain', plain), ('berth_proxy', proxy), ('dovecot_proxy', ppop),
               ('perdition', perd), ('berth_pop3', own)]
    targets = [(name, port) for name, port in targets if name in POP_ONLY]
    rows = []
    try:
        for _, port in targets:  # warm-up
            popbench_short(port, 'big' if 'small' not in POP_LOADS else 'user')
        for r in range(ROUNDS):
            log(f'pop3 round {r + 1}/{ROUNDS}')
            row = {'round': r + 1}
            for name, port in targets:
                if 'small' in POP_LOADS:
                    row[name] = popbench(port)
                if 'large' in POP_LOADS:
                    row['large_' + name] = with_cpu(b.pid, lambda: popbench(port, 'big'))
            rows.append(row)
            log(row)
    finally:
        stop_all()
    return rows


def popbench_short(port, prefix='user'):
    global POP_DURATION
    saved, POP_DURATION = POP_DURATION, POP_WARMUP
    try:
        popbench(port, prefix)
    finally:
        POP_DURATION = saved


def tree_cpu(root):
    """utime+stime in seconds of root and all its live descendants (berth's master and workers)."""
    parents, cpu = {}, {}
    for pid in filter(str.isdigit, os.listdir('/proc')):
        try:
            with open(f'/proc/{pid}/stat') as f:
                fields = f.read().rsplit(')', 1)[1].split()
        except OSError:
            continue
        parents[int(pid)], cpu[int(pid)] = int(fields[1]), int(fields[11]) + int(fields[12])
    tree, grew = {root}, True
    while grew:
        more = {p for p, pp in parents.items() if pp in tree and p not in tree}
        tree |= more
        grew = bool(more)
    return sum(cpu.get(p, 0) for p in tree) / os.sysconf('SC_CLK_TCK')


def machine_cpu():
    """Busy CPU seconds of the whole machine (all tenants) from /proc/stat."""
    with open('/proc/stat') as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf('SC_CLK_TCK')


def with_cpu(berth_pid, run):
    """Runs popbench and adds berth's CPU (its whole process tree, whichever service served) and
    the machine's busy CPU, both in seconds, and berth's CPU ms per MB relayed."""
    b0, m0 = tree_cpu(berth_pid), machine_cpu()
    result = run()
    result['berth_cpu_s'] = round(tree_cpu(berth_pid) - b0, 2)
    result['machine_cpu_s'] = round(machine_cpu() - m0, 2)
    mb = result['mb_s'] * result['seconds']
    result['berth_cpu_ms_per_mb'] = round(1000 * result['berth_cpu_s'] / mb, 2) if mb else None
    return result


def best(rows, key, field=None):
    values = [(r[key][field] if field else r[key]) for r in rows]
    return max(values)


def pop3_table(pop3, servers, prefix, measure):
    """One row per server, best round each; ratios of `measure` against direct Dovecot and perdition
    when they ran, and the ratio to Dovecot round by round (the rounds vary by more than the proxy
    costs). The large workload adds berth's CPU per MB, the least of the rounds (its whole process
    tree, so only the berth rows)."""
    ratios = [(label, prefix + n, digits) for label, n, digits in (('÷ direct Dovecot', 'dovecot', 2), ('÷ perdition', 'perdition', 1))
              if n in servers]
    cpu = prefix == 'large_' and all('berth_cpu_ms_per_mb' in r[prefix + n] for r in pop3 for n in servers)
    paired = 'dovecot' in servers and len(pop3) > 1
    head = (['server', 'sessions/s', 'RETR/s', 'MB/s'] + [label for label, _, _ in ratios]
            + (['÷ Dovecot in the same round: mean (min-max)'] if paired else []) + (['berth CPU ms/MB'] if cpu else []))
    lines = ['| ' + ' | '.join(head) + ' |', '|' + '---|' * len(head)]
    for name in servers:
        key = prefix + name
        cells = [name, f'{best(pop3, key, "sessions_s"):.1f}', f'{best(pop3, key, "retr_s"):.0f}', f'{best(pop3, key, "mb_s"):.1f}']
        cells += [f'{best(pop3, key, measure) / best(pop3, base, measure):.{digits}f}' for _, base, digits in ratios]
        if paired:
            same = [r[key][measure] / r[prefix + 'dovecot'][measure] for r in pop3]
            cells.append(f'{sum(same) / len(same):.2f} ({min(same):.2f}-{max(same):.2f})')
        if cpu:
            cells.append(f'{min(r[key]["berth_cpu_ms_per_mb"] for r in pop3):.2f}' if name.startswith('berth') else '')
        lines.append('| ' + ' | '.join(cells) + ' |')
    return lines


def report(smtp, pop3):
    lines = ['# Mail benchmarks: berth against Postfix, Dovecot and perdition', '',
             f'Run {time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())} on {os.cpu_count()} CPUs, loopback; '
             f'berth {WORKERS} workers x 2 threads. Best of {ROUNDS} rounds. Produced by `bench/mail`.', '']
    if smtp:
        lines += ['## SMTP (smtp-source, %d messages of %d bytes, %d sessions)' % (N, SIZE, CONC), '',
                  '| path | berth msg/s | Postfix msg/s | berth / Postfix |', '|---|---|---|---|']
        for what in ('maildir', 'relay'):
            b, p = best(smtp, 'berth_' + what), best(smtp, 'postfix_' + what)
            lines.append(f'| {what} | {b:.0f} | {p:.0f} | {b / p:.2f} |')
        lines += ['', 'maildir: until the N-th file is in `new/` (berth answers 250 after fsync of file and directory; '
                  'Postfix queues with fsync, then virtual(8) delivers). relay: until the N-th message is in smtp-sink '
                  '(berth relays before queue and answers with the sink\'s reply; Postfix queues, then relays).', '']
    if pop3:
        servers = [n for n in POP_SERVERS if n in POP_ONLY]
        if 'small' in POP_LOADS:
            lines += ['## POP3 (popbench: %d processes, %g s; %d users x %d messages of ~%d bytes)' % (
                POP_PROCS, POP_DURATION, POP_USERS, POP_MESSAGES, SIZE), '']
            lines += pop3_table(pop3, servers, '', 'sessions_s')
        if 'large' in POP_LOADS:
            lines += ([''] if lines[-1] else []) + ['### Large messages (RETR throughput): %d users x %d messages of %d bytes' % (
                POP_USERS, LARGE_MESSAGES, LARGE_SIZE), '']
            lines += pop3_table(pop3, servers, 'large_', 'mb_s')
        lines += ['', 'Clients speak plain POP3 to every server. berth_proxy_plain: pop3-proxy with a fixed upstream, plain '
                  'POP3 to Dovecot (the proxy\'s own cost against direct Dovecot). berth_proxy: the same with STLS to Dovecot, '
                  'as perdition and Dovecot\'s proxy are set up here (like for like with them). berth_pop3: the pop3 kind '
                  'serving the same messages from its own Maildir. Every session logs in anew, so the session rate is '
                  'bound by logins: Dovecot takes about 4.5 ms to greet a new connection and 3 ms for USER/PASS on this '
                  'machine, which every proxy pays on its upstream leg.', '']
    return '\n'.join(lines)


def main():
    suite = sys.argv[1] if len(sys.argv) > 1 else 'all'
    os.makedirs(WORK, exist_ok=True)
    smtp = smtp_suite() if suite in ('smtp', 'all') else []
    pop3 = pop3_suite() if suite in ('pop3', 'all') else []
    os.makedirs(RESULTS, exist_ok=True)
    name = 'mail' if suite == 'all' else 'mail-' + suite
    with open(os.path.join(RESULTS, name + '.json'), 'w') as f:
        json.dump({'smtp': smtp, 'pop3': pop3, 'messages': N, 'size': SIZE, 'conc': CONC,
                   'pop_procs': POP_PROCS, 'pop_duration': POP_DURATION}, f, indent=1)
    text = report(smtp, pop3)
    with open(os.path.join(RESULTS, name + '.md'), 'w') as f:
        f.write(text + '\n')
    print(text)


if __name__ == '__main__':
    try:
        main()
    finally:
        stop_all()
