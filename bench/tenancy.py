#!/usr/bin/env python3
"""What tenant classification costs (DESIGN.md §7, issue 9), measured in one run on this machine.

Connections: the same `kind: http` service (fixed 6-byte answer, 2 workers x 1 thread, one
dispatcher, children as `nobody` when the bench runs as root) three ways, each started fresh, all
connections one request each (`Connection: close`), on loopback:
  handoff   a pool with `accept: handoff` and no groups: the dispatcher hop alone;
  address   the service with `groups: [acme]`, acme owning 127.0.0.2: every connection is
            classified by its destination (getsockname, getpeername, one hash probe); wrk's peer
            is local (127.0.0.1, root), so the loopback rule asks the owner of its socket too
            (one sock_diag request; root runs no group worker, so no look in their descriptors);
  loopback  the same service reached at 127.0.0.1 from wrk running as acme's user (root only; the
            bench makes that user and removes it): every connection is classified by an exact
            sock_diag lookup of its peer socket's owner.
Per variant: wrk -t2 -c32 closed loop (connections/s), then bench/openloop at RATE_PCT (50) % of
the handoff variant's rate (p50/p99/p99.9 from the scheduled start).

Owner lookup: bench/LookupBench.java (one exact sock_diag request against parsing /proc/net/tcp and
against a scan of every /proc/PID/fd), with CONNECTIONS (200) extra loopback sockets open.

Writes bench/results/tenancy.md and tenancy.json; scratch files under bench/work/tenancy.
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
WORK = os.path.join(BENCH, 'work', 'tenancy')
RESULTS = os.environ.get('RESULTS', os.path.join(BENCH, 'results'))
ROUNDS = int(os.environ.get('ROUNDS', '2'))
DURATION = int(os.environ.get('DURATION', '8'))
RATE_PCT = int(os.environ.get('RATE_PCT', '50'))
CONNECTIONS = int(os.environ.get('CONNECTIONS', '200'))
JVM = '[-Xmx128m, -XX:+UseSerialGC]'
ROOT_USER = os.geteuid() == 0
BENCH_USER = 'btbench-acme'


def log(*args):
    print(time.strftime('%H:%M:%S'), *args, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def java():
    out = subprocess.run(['bash', '-c', f'. {ROOT}/bin/java25 && find_java25 && echo $JAVA_HOME'],
                         capture_output=True, text=True)
    home = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else ''
    return os.path.join(home, 'bin', 'java') if home else 'java'


def jar_copy():
    src = os.path.join(ROOT, 'dist', 'target', 'berth.jar')
    if not os.path.exists(src):
        raise SystemExit('bench/tenancy: build dist/target/berth.jar first (./mvnw -B verify -pl dist -am -DskipTests)')
    dst = os.path.join(WORK, 'berth.jar')
    shutil.copy(src, dst)
    os.chmod(dst, 0o644)
    return dst


def config(variant, port):
    pool = f'web: {{workers: 2, threads: 1, accept: handoff, jvm-options: {JVM}}}'
    # every variant's children run as one user (a grouped pool's workers may not run as root)
    master = f"master: {{run-dir: run, log-dir: log{', user: nobody' if ROOT_USER else ''}}}"
    if variant == 'handoff':
        return f"""{master}
pools:
  {pool}
services:
  - {{name: hello, kind: http, pool: web, listen: ["127.0.0.2:{port}"], http: {{response: "hello\\n"}}}}
"""
    user = f', user: {BENCH_USER}' if variant == 'loopback' else ''
    listen = '127.0.0.1' if variant == 'loopback' else '127.0.0.2'
    return f"""{master}
groups:
  acme: {{addresses: [127.0.0.2]{user}}}
pools:
  {pool}
services:
  - name: hello
    kind: http
    pool: web
    listen: ["{listen}:{port}"]
    http: {{response: "hello\\n"}}
    groups: [acme]
"""


def start(variant, jar, java_bin):
    d = os.path.join(WORK, variant)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    os.chmod(d, 0o755)
    port = free_port()
    with open(os.path.join(d, 'berth.yaml'), 'w') as f:
        f.write(config(variant, port))
    out = open(os.path.join(d, 'master.log'), 'w')
    p = subprocess.Popen([java_bin, '--enable-native-access=ALL-UNNAMED', '-cp', jar, 'dev.berth.cli.Main', 'run',
                          '-c', os.path.join(d, 'berth.yaml')], stdout=out, stderr=subprocess.STDOUT)
    host = '127.0.0.1' if variant == 'loopback' else '127.0.0.2'
    deadline = time.time() + 90
    while time.time() < deadline:
        r = run_as(variant, ['curl', '-s', '-m', '2', f'http://{host}:{port}/'])
        if r.stdout == 'hello\n':
            return p, host, port
        if p.poll() is not None:
            raise SystemExit(f'berth ({variant}) exited; see {d}/master.log')
        time.sleep(0.5)
    raise SystemExit(f'berth ({variant}) did not answer within 90 s')


def run_as(variant, argv, **kw):
    if variant == 'loopback':
        uid = int(subprocess.run(['id', '-u', BENCH_USER], capture_output=True, text=True).stdout)
        argv = ['setpriv', f'--reuid={uid}', f'--regid={uid}', '--clear-groups', '--'] + argv
    return subprocess.run(argv, capture_output=True, text=True, **kw)


def stop(p):
    p.send_signal(signal.SIGTERM)
    try:
        p.wait(30)
    except subprocess.TimeoutExpired:
        p.kill()


def wrk(variant, host, port):
    r = run_as(variant, ['wrk', '-t2', '-c32', f'-d{DURATION}s', '--latency', '-H', 'Connection: close',
                         f'http://{host}:{port}/'])
    rps = float(re.search(r'Requests/sec:\s+([0-9.]+)', r.stdout).group(1))
    errors = re.search(r'Non-2xx or 3xx responses: (\d+)', r.stdout)
    socket_errors = re.search(r'Socket errors: (.*)', r.stdout)
    return {'rps': rps, 'non2xx': int(errors.group(1)) if errors else 0,
            'socket_errors': socket_errors.group(1) if socket_errors else ''}


def openloop(variant, host, port, rate, openloop_bin):
    r = run_as(variant, [openloop_bin, '-p', str(port), '-r', str(rate), '-d', str(DURATION), '-H', host, '-q'])
    line = [l for l in r.stdout.splitlines() if l.startswith('JSON ')]
    if not line:
        raise SystemExit(f'openloop said: {r.stdout} {r.stderr}')
    return json.loads(line[-1][5:])


def lookup(java_bin, jar):
    # IPv4 sockets, as berth's own: a JVM's default dual-stack sockets are AF_INET6 (::ffff:127.0.0.1),
    # which an AF_INET sock_diag request does not find ("a lookup found nothing")
    r = subprocess.run([java_bin, '-Djava.net.preferIPv4Stack=true', '--enable-native-access=ALL-UNNAMED', '-cp', jar,
                        os.path.join(BENCH, 'LookupBench.java'), str(CONNECTIONS), '5000'],
                       capture_output=True, text=True, timeout=600)
    line = [l for l in r.stdout.splitlines() if l.startswith('JSON ')]
    if not line:
        raise SystemExit(f'LookupBench said: {r.stdout} {r.stderr}')
    return json.loads(line[-1][5:])


def main():
    os.makedirs(WORK, exist_ok=True)
    os.chmod(WORK, 0o755)
    java_bin = java()
    jar = jar_copy()
    openloop_bin = os.path.join(BENCH, 'work', 'openloop')
    subprocess.run(['gcc', '-O2', '-Wall', '-o', openloop_bin, os.path.join(BENCH, 'openloop.c')], check=True)
    variants = ['handoff', 'address'] + (['loopback'] if ROOT_USER else [])
    made_user = False
    if ROOT_USER and subprocess.run(['id', BENCH_USER], capture_output=True).returncode != 0:
        subprocess.run(['useradd', '--system', '--no-create-home', '--shell', '/usr/sbin/nologin', BENCH_USER], check=True)
        made_user = True
    results = {'rounds': [], 'lookup': None}
    try:
        log('owner lookup: sock_diag vs /proc')
        results['lookup'] = lookup(java_bin, jar)
        log(json.dumps(results['lookup']))
        rate = None
        for r in range(ROUNDS):
            row = {}
            for variant in (variants if r % 2 == 0 else list(reversed(variants))):
                p, host, port = start(variant, jar, java_bin)
                try:
                    run_as(variant, ['wrk', '-t2', '-c32', '-d2s', '-H', 'Connection: close', f'http://{host}:{port}/'])
                    row[variant] = {'wrk': wrk(variant, host, port)}
                    log(variant, 'wrk', row[variant]['wrk'])
                finally:
                    stop(p)
            results['rounds'].append(row)
            if rate is None:
                rate = max(500, int(row['handoff']['wrk']['rps'] * RATE_PCT / 100 / 500) * 500)
        results['rate'] = rate
        for variant in variants:
            p, host, port = start(variant, jar, java_bin)
            try:
                openloop(variant, host, port, rate, openloop_bin)
                results.setdefault('openloop', {})[variant] = openloop(variant, host, port, rate, openloop_bin)
                log(variant, 'openloop', results['openloop'][variant].get('all'))
            finally:
                stop(p)
    finally:
        if made_user:
            subprocess.run(['userdel', BENCH_USER])
    report(results, variants)


def best(results, variant):
    return max(r[variant]['wrk']['rps'] for r in results['rounds'])


def report(results, variants):
    os.makedirs(RESULTS, exist_ok=True)
    with open(os.path.join(RESULTS, 'tenancy.json'), 'w') as f:
        json.dump(results, f, indent=1)
    base = best(results, 'handoff')
    lines = ['# Tenant classification: what it costs', '',
             f'Measured by `bench/tenancy` on this machine ({os.cpu_count()} CPUs), {time.strftime("%Y-%m-%d")}.'
             ' All on loopback; berth: kind http, 2 workers x 1 thread, one request per connection.', '',
             '## Connections per second (wrk -t2 -c32, Connection: close; best of '
             f'{len(results["rounds"])} rounds)', '',
             '| variant | conn/s | vs handoff without groups |', '|---|---:|---:|']
    for v in variants:
        rps = best(results, v)
        lines.append(f'| {v} | {rps:.0f} | {rps / base:.2f}x |')
    lines += ['', f'## Latency at {results["rate"]} conn/s (bench/openloop, from the scheduled start)', '',
              '| variant | p50 ms | p99 ms | p99.9 ms | errors |', '|---|---:|---:|---:|---:|']
    for v in variants:
        o = results.get('openloop', {}).get(v, {})
        a = o.get('all', o)
        lines.append(f'| {v} | {a.get("p50", "?")} | {a.get("p99", "?")} | {a.get("p999", "?")} | '
                     f'{a.get("errors", "?")} |')
    lk = results['lookup']
    lines += ['', f'## Owner of a loopback peer ({lk["sockets"]} TCP sockets, {lk["processes"]} processes on the host)', '',
              '| method | p50 µs | p99 µs |', '|---|---:|---:|',
              f'| sock_diag exact lookup (berth) | {lk["sock_diag"]["p50_us"]} | {lk["sock_diag"]["p99_us"]} |',
              f'| parse /proc/net/tcp | {lk["proc_net"]["p50_us"]} | {lk["proc_net"]["p99_us"]} |',
              f'| /proc/net/tcp + every /proc/PID/fd | {lk["proc_fd"]["p50_us"]} | {lk["proc_fd"]["p99_us"]} |', '']
    with open(os.path.join(RESULTS, 'tenancy.md'), 'w') as f:
        f.write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
