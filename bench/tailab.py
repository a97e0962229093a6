#!/usr/bin/env python3
"""Where berth's open-loop tail goes, A/B against nginx in the same run (issue 13 item 3).

Each round starts every server in turn (order rotating): nginx (bench/run's configuration) and one
berth per VARIANT (one pool of `kind: http`, 2 workers x 1 thread, accept: shared, the variant's
pool `jvm-options`), and measures it with bench/openloop at RATE requests/s for LOAD seconds over 64
keep-alive connections, then one connection per request, each warmed up as bench/hostcost.py's
`tail` does (3 s runs until the JIT compilers are quiet, begun once the accept queue is empty).

Per measurement it records p50/p99/p99.9/max, the server's CPU per request, and per server thread
the time it waited runnable for a CPU (schedstat run delay) per wake-up; for berth it also logs
every worker's GC pauses and safepoints (`-Xlog:gc,safepoint` with the `timenanos` decorator,
CLOCK_MONOTONIC like bench/openloop's `-o` dump) and counts how many of the requests slower than
the run's p99 were in flight during a pause or safepoint of a worker (an upper bound: the request's
worker is not known).

Usage: bench/tailab.py [--rate 6000] [--load 8] [--rounds 2] [--out FILE.json]
                       [--variant NAME="JVM OPTIONS"]... [--no-nginx] [--modes keepalive,close]
Variant `base` (no options: the committed child defaults) is measured unless --variant base=...
redefines it or --no-base is given. Two pseudo-options: `jar=PATH` runs that variant from another
berth.jar (BERTH_JAR; its .jsa beside it), `+nicejit` sets the workers' JIT compiler threads to
nice 10 once they are ready.
"""
import argparse
import json
import os
import re
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hostcost  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")
NGINX_CONF = """daemon off;
worker_processes 2;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    keepalive_timeout 65;
    keepalive_requests 1000000;
    client_body_temp_path {dir}/tmp/body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    server {{
        listen 127.0.0.1:{port} backlog=4096;
        location / {{ return 200 "hello\\n"; }}
    }}
}}
"""


def children(pid):
    out = []
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/children" % (pid, tid)) as f:
                out += [int(c) for c in f.read().split()]
        except FileNotFoundError:
            pass
    return out


class Nginx:
    """nginx with bench/run's configuration on a free port; stopped by close()."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="tailab-nginx-")
        os.makedirs(os.path.join(self.dir, "tmp"))
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        conf = os.path.join(self.dir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(NGINX_CONF.format(dir=self.dir, port=self.port))
        binary = next(b for b in ("/usr/sbin/nginx", "nginx") if os.path.exists(b) or b == "nginx")
        self.master = subprocess.Popen([binary, "-p", self.dir, "-e", os.path.join(self.dir, "error.log"), "-c", conf],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while len(children(self.master.pid)) < 2 or not self.answers():
            if time.monotonic() > deadline or self.master.poll() is not None:
                raise RuntimeError("nginx did not start; see " + self.dir)
            time.sleep(0.05)

    def answers(self):
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return s.recv(100).startswith(b"HTTP/1.1 200")
        except OSError:
            return False

    def pids(self):
        return [self.master.pid] + children(self.master.pid)

    def close(self):
        self.master.send_signal(signal.SIGTERM)
        self.master.wait(20)


def sched(pids):
    """Per thread of pids: (name, CPU ns, run-queue wait ns, timeslices), keyed by (pid, tid)."""
    out = {}
    for pid in pids:
        try:
            tids = os.listdir("/proc/%d/task" % pid)
        except FileNotFoundError:
            continue
        for tid in tids:
            try:
                with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                    name = f.read().strip()
                with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                    cpu, wait, slices = (int(x) for x in f.read().split())
                out[(pid, tid)] = (name, cpu, wait, slices)
            except (FileNotFoundError, ProcessLookupError, ValueError):
                pass
    return out


def busy_threads(before, after, requests):
    """The threads that ran during the measurement: CPU µs per request, run-queue wait per slice."""
    rows = []
    for key, (name, cpu, wait, slices) in after.items():
        _, cpu0, wait0, slices0 = before.get(key, (name, 0, 0, 0))
        if cpu - cpu0 < 0.01 * (after_total(after) - after_total(before)):
            continue
        n = max(1, slices - slices0)
        rows.append({"pid": key[0], "thread": name, "cpu_us_per_req": round((cpu - cpu0) / 1000 / requests, 2),
                     "slices": slices - slices0, "wait_us_per_slice": round((wait - wait0) / 1000 / n, 1),
                     "wait_ms": round((wait - wait0) / 1e6, 1)})
    rows.sort(key=lambda r: -r["cpu_us_per_req"])
    return rows


def after_total(sample):
    return sum(v[1] for v in sample.values())


NANOS = re.compile(r"^\[(\d+)ns\]")
SAFEPOINT = re.compile(r'Safepoint "([^"]+)".*Reaching safepoint: (\d+) ns.*Total: (\d+) ns')
PAUSE = re.compile(r"\] (GC\(\d+\) Pause [^\n]*?) (\d+\.\d+)ms$")


def pauses(log_dir):
    """Every safepoint of every worker log in log_dir: (start ns, end ns, what, pid)."""
    out = []
    for name in os.listdir(log_dir):
        if not name.startswith("gc-"):
            continue
        pid = name[3:].split(".")[0]
        with open(os.path.join(log_dir, name)) as f:
            for line in f:
                m, s = NANOS.match(line), SAFEPOINT.search(line)
                if m and s:
                    end = int(m.group(1))
                    out.append((end - int(s.group(3)), end, s.group(1), pid))
    return sorted(out)


def gc_summary(log_dir, t_from, t_to):
    """GC pauses (from the gc log lines) between two CLOCK_MONOTONIC instants, all workers."""
    times = []
    for name in os.listdir(log_dir):
        if name.startswith("gc-"):
            with open(os.path.join(log_dir, name)) as f:
                for line in f:
                    m, p = NANOS.match(line), PAUSE.search(line.rstrip())
                    if m and p and t_from <= int(m.group(1)) <= t_to:
                        times.append(float(p.group(2)))
    return {"count": len(times), "total_ms": round(sum(times), 2), "max_ms": round(max(times, default=0), 2),
            "mean_ms": round(statistics.mean(times), 3) if times else 0}


def attribute(dump, safepoints, p99_ms):
    """Of the requests at or above p99: how many were in flight during a worker's safepoint."""
    slow = []
    first = last = None
    with open(dump) as f:
        for line in f:
            start, lat, _ = (int(x) for x in line.split())
            first = start if first is None else first
            last = start
            if lat < 0 or lat >= p99_ms * 1000:
                slow.append((start, start + (lat if lat >= 0 else 10 ** 9) * 1000))
    window = [p for p in safepoints if p[1] >= first and p[0] <= last + 10 ** 9]
    hit = 0
    for s, e in slow:
        if any(p[0] <= e and p[1] >= s for p in window):
            hit += 1
    by_kind = {}
    for p in window:
        k = by_kind.setdefault(p[2], [0, 0.0, 0.0])
        k[0] += 1
        k[1] += (p[1] - p[0]) / 1e6
        k[2] = max(k[2], (p[1] - p[0]) / 1e6)
    return {"slow": len(slow), "slow_during_safepoint": hit,
            "safepoints": {k: {"count": v[0], "total_ms": round(v[1], 2), "max_ms": round(v[2], 2)}
                           for k, v in sorted(by_kind.items(), key=lambda kv: -kv[1][1])},
            "window_ns": [first, last]}


def runs(perf_data):
    """`perf sched timehist` of a recording: (start s, end s, thread name, pid, tid), idle left out
    (it has no [tid])."""
    out = subprocess.run(["perf", "sched", "timehist", "-i", perf_data], capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        m = TIMEHIST.match(line)
        if m:
            end, run = float(m.group(1)), float(m.group(5)) / 1000
            rows.append((end - run, end, m.group(2), int(m.group(4) or m.group(3)), int(m.group(3))))
    return rows


TIMEHIST = re.compile(r"^\s*(\d+\.\d+)\s+\[\d+\]\s+(.*?)\[(\d+)(?:/(\d+))?\]\s+\S+\s+\S+\s+(\S+)\s*$")
CAUSES = ("kdamond", "gc/safepoint", "jit", "other process", "none of these")


def cause(name, pid, server_pids, openloop_pid):
    """What a thread that ran while a slow request was in flight stands for."""
    if name.startswith("kdamond"):
        return "kdamond"
    if pid in server_pids:
        if name.startswith("VM Thread"):
            return "gc/safepoint"
        if name.startswith(("C1 Compiler", "C2 Compiler")):
            return "jit"
        return None
    if pid == openloop_pid or name.startswith(("ksoftirqd", "rcu_", "migration", "kworker", "perf")):
        return None
    return "other process"


def blame(dump, perf_data, server_pids, threshold_ms):
    """Requests slower than threshold_ms, by the first cause (in CAUSES order) that ran, for at
    least 0.1 ms, while they were in flight."""
    timeline = runs(perf_data)
    openloop_pid = next((pid for _, _, name, pid, _ in timeline if name == "openloop"), -1)
    events = sorted((s, e, c, name) for s, e, name, pid, _ in timeline
                    if (c := cause(name, pid, set(server_pids), openloop_pid)) and e - s >= 0.0001)
    counts = dict.fromkeys(CAUSES, 0)
    slow, i = [], 0
    with open(dump) as f:
        for line in f:
            start, lat, _ = (int(x) for x in line.split())
            if lat < 0 or lat >= threshold_ms * 1000:
                slow.append((start / 1e9, (start + max(lat, 0) * 1000) / 1e9))
    others = {}
    for s, e in slow:
        while i < len(events) and events[i][1] < s - 0.01:
            i += 1
        hits = [(c, n) for a, b, c, n in events[i:i + 400] if a <= e and b >= s]
        first = next((c for c in CAUSES if c in {c for c, _ in hits}), "none of these")
        counts[first] += 1
        if first == "other process":
            for n in {n for c, n in hits if c == first}:
                others[n] = others.get(n, 0) + 1
    return {"threshold_ms": threshold_ms, "slow": len(slow), "by_cause": counts,
            "other_processes": dict(sorted(others.items(), key=lambda kv: -kv[1])[:8])}


def jstat(pid):
    """`jstat -gc` of a worker as a dict of its columns (KiB, counts), or None."""
    r = subprocess.run([os.path.join(os.environ["JAVA_HOME"], "bin", "jstat"), "-gc", str(pid)],
                       capture_output=True, text=True)
    lines = r.stdout.split("\n")
    if r.returncode != 0 or len(lines) < 2:
        return None
    return {k: float(v) for k, v in zip(lines[0].split(), lines[1].split()) if v.replace(".", "", 1).isdigit()}


def allocated_kib(before, after):
    """KiB a worker allocated between two jstat samples: eden filled once per young collection,
    plus what eden holds now; None where the collector has no such eden (ZGC)."""
    if not before or not after or not after.get("EC") or "YGC" not in after:
        return None
    return after["EU"] - before["EU"] + (after["YGC"] - before["YGC"]) * after["EC"]


def measure(server, name, mode, args, work, log_dir):
    keepalive = 64 if mode == "keepalive" else 0
    warmups = hostcost.warm_until_compiled(server, args.rate, keepalive)
    hostcost.settle(server.port)
    pids = server.pids()
    workers = pids[1:] if log_dir else []
    gc0 = [jstat(p) for p in workers]
    cpu0, sched0 = sum(hostcost.cpu_ticks(p) for p in pids), sched(pids)
    dump = os.path.join(log_dir or work, "%s-%s.lat" % (name, mode))
    perf = None
    if args.perf:
        perf = subprocess.Popen(["perf", "sched", "record", "-k", "CLOCK_MONOTONIC", "-o",
                                 os.path.join(log_dir or work, "%s-%s.perf" % (name, mode))],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(0.5)
    stats = hostcost.openloop(server.port, args.rate, args.load, keepalive, ("-o", dump))
    if perf:
        perf.send_signal(signal.SIGINT)
        perf.wait(30)
        perf_data = perf.args[-1]
    cpu1, sched1 = sum(hostcost.cpu_ticks(p) for p in pids), sched(pids)
    allocated = [allocated_kib(b, a) for b, a in zip(gc0, (jstat(p) for p in workers))]
    requests = max(1, stats["requests"])
    row = {"server": name, "mode": mode, "warmup_runs": warmups,
           **{k: stats.get(k) for k in ("requests", "errors", "p50", "p99", "p999", "max")},
           "cpu_us_per_req": round((cpu1 - cpu0) / TICK * 1e6 / requests, 1),
           "threads": busy_threads(sched0, sched1, requests)}
    if workers and None not in allocated:
        row["allocated_bytes_per_req"] = round(sum(allocated) * 1024 / requests)
    if log_dir:
        att = attribute(dump, pauses(log_dir), stats["p99"] or 0)
        row["gc"] = gc_summary(log_dir, *att.pop("window_ns"))
        row["tail"] = att
    if perf:
        row["blame"] = blame(dump, perf_data, pids, args.blame_ms)
        hostcost.log("%s %s: %d requests over %s ms, by what ran meanwhile: %s" % (
            name, mode, row["blame"]["slow"], args.blame_ms, row["blame"]["by_cause"]))
        if not args.keep:
            os.remove(perf_data)
    if not args.keep:
        os.remove(dump)
    hostcost.log("%s %s: p50 %s p99 %s p99.9 %s max %s ms, %.1f us/req, %s B/req%s" % (
        name, mode, row["p50"], row["p99"], row["p999"], row["max"], row["cpu_us_per_req"],
        row.get("allocated_bytes_per_req", "?"),
        "; gc %(count)d pauses %(total_ms)s ms max %(max_ms)s" % row["gc"] if log_dir else ""))
    return row


def run_server(name, options, args, work):
    if name == "nginx":
        server, log_dir = Nginx(), None
    else:
        log_dir = tempfile.mkdtemp(prefix="tailab-gc-", dir=work)
        xlog = "-Xlog:gc,safepoint:file=%s/gc-%%p.log:timenanos,tags" % log_dir
        jfr = ["-XX:StartFlightRecording=settings=profile"] if args.jfr else []
        jar = next((o[4:] for o in options if o.startswith("jar=")), None)
        saved = os.environ.get("BERTH_JAR")
        if jar:
            os.environ["BERTH_JAR"] = jar
        try:
            server = hostcost.Berth(2, "shared", [o for o in options if o != "+nicejit" and not o.startswith("jar=")]
                                    + [xlog] + jfr)
        finally:
            if jar and saved is None:
                del os.environ["BERTH_JAR"]
            elif jar:
                os.environ["BERTH_JAR"] = saved
        if "+nicejit" in options:
            for pid in server.pids()[1:]:
                for tid in os.listdir("/proc/%d/task" % pid):
                    with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                        if f.read().startswith(("C1 Compiler", "C2 Compiler")):
                            os.setpriority(os.PRIO_PROCESS, int(tid), 10)
    try:
        return [measure(server, name, mode, args, work, log_dir) for mode in args.modes]
    finally:
        if args.jfr and log_dir:
            for pid in server.pids()[1:]:
                subprocess.run([os.path.join(os.environ["JAVA_HOME"], "bin", "jcmd"), str(pid), "JFR.dump",
                                "filename=%s/w-%d.jfr" % (log_dir, pid)], check=True, stdout=subprocess.DEVNULL)
        server.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rate", type=int, default=6000)
    p.add_argument("--load", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--variant", action="append", default=[], help='NAME="JVM OPTIONS" (pool jvm-options)')
    p.add_argument("--no-nginx", action="store_true")
    p.add_argument("--no-base", action="store_true")
    p.add_argument("--modes", default="keepalive,close")
    p.add_argument("--out")
    p.add_argument("--perf", action="store_true", help="record the scheduler (perf sched) during each measurement")
    p.add_argument("--blame-ms", type=float, default=1.0, help="with --perf: requests slower than this are blamed")
    p.add_argument("--keep", action="store_true", help="keep the per-request dumps and GC logs in bench/work")
    p.add_argument("--jfr", action="store_true", help="record berth's workers with JFR (profile), kept beside the GC logs")
    args = p.parse_args()
    args.modes = args.modes.split(",")
    variants = {} if args.no_base else {"base": []}
    for v in args.variant:
        k, _, opts = v.partition("=")
        variants[k] = shlex.split(opts)
    servers = ([] if args.no_nginx else ["nginx"]) + list(variants)
    os.makedirs(os.path.join(hostcost.ROOT, "bench", "work"), exist_ok=True)
    work = tempfile.mkdtemp(prefix="tailab-", dir=os.path.join(hostcost.ROOT, "bench", "work"))
    results = []
    for r in range(args.rounds):
        order = servers[r % len(servers):] + servers[:r % len(servers)]
        for name in order:
            for row in run_server(name, variants.get(name, []), args, work):
                row["round"] = r + 1
                print(json.dumps(row), flush=True)
                results.append(row)
    if args.out:
        with open(args.out, "w") as f:
            json.dump({"rate": args.rate, "load_seconds": args.load,
                       "variants": {k: " ".join(v) for k, v in variants.items()}, "results": results}, f, indent=1)


if __name__ == "__main__":
    main()
