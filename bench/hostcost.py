#!/usr/bin/env python3
"""The cost of berth's host machinery, measured on a running berth (bench/hostcost, issue 13).

Each measurement starts its own berth (`BERTH_JAR`, default dist/target/berth.jar, run through
bin/berth) with one pool of `kind: http` on 127.0.0.1:0 and stops it afterwards:

  replacement  SIGKILL of worker 1, then the time until a new worker 1 is ready (polling the
               master's CLI socket every 2 ms); KILLS kills, CALM seconds apart so that each is a
               "first crash" for the restart policy (its back-off starts over after 10 s of calm)
  idle         CPU of the master and every child (utime+stime from /proc) over IDLE seconds with
               no traffic, as % of one CPU, after SETTLE seconds of settling; per thread, its CPU
               (/proc/PID/task/TID/schedstat) and wake-ups (context switches) a second
  rss          RSS of each worker after LOAD seconds of wrk (keep-alive, 64 connections) and
               again after LOAD seconds of `Connection: close`
  idleconn     RSS of the workers before and after opening CONNS keep-alive connections that
               each made one request and then stay idle: KiB per idle connection
  reload       `reload` of a 4-worker pool: time until 4 workers of the new generation are ready,
               and until the old ones are gone
  tail         open-loop latency (bench/openloop, built here): RATE requests/s for LOAD seconds
               over 64 keep-alive connections, then one connection per request; each warmed up
               by 3 s runs until the JIT compilers are quiet and begun once the accept queue is
               empty; p50/p99/p99.9 from each request's scheduled start
  profile      the workers under the open loop of `tail` (RATE/s, LOAD s keep-alive then LOAD s
               close), recorded with JFR (settings=profile) and dumped with jcmd while they run;
               worker 1's `jfr view`s (hot methods, allocation, GC pauses, safepoints, VM
               operations, latencies by type, thread CPU, compiler) are written to --profile-out

Usage: bench/hostcost.py [--out FILE.json] [--jvm-options "-Xmx64m ..."] WHAT...
(WHAT: replacement idle rss idleconn reload tail profile, or all). Prints one JSON object per measurement and
writes them all to --out.
"""
import argparse
import json
import os
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


def log(*args):
    print(time.strftime("%H:%M:%S"), "hostcost:", *args, file=sys.stderr, flush=True)


class Berth:
    """One berth master started for a measurement, with its own run dir; stopped by close()."""

    def __init__(self, workers, accept, jvm_options, threads=1, extra_pool="", spares=0):
        self.dir = tempfile.mkdtemp(prefix="berth-hostcost-")
        jvm = ", ".join('"%s"' % o for o in jvm_options)
        self.config = os.path.join(self.dir, "berth.yaml")
        with open(self.config, "w") as f:
            f.write("master: {run-dir: run, log-dir: log}\n"
                    "pools:\n"
                    "  web:\n"
                    "    workers: %d\n"
                    "    threads: %d\n"
                    "    accept: %s\n"
                    "    drain-timeout: 2s\n"
                    "%s"
                    "%s"
                    "%s"
                    "services:\n"
                    "  - {name: hello, kind: http, pool: web, listen: [\"127.0.0.1:0\"], http: {response: \"hello\\n\"}}\n"
                    % (workers, threads, accept, ("    jvm-options: [%s]\n" % jvm) if jvm_options else "",
                       ("    spare-workers: %d\n" % spares) if spares else "", extra_pool))
        self.log_path = os.path.join(self.dir, "master.log")
        self.log_file = open(self.log_path, "w")
        self.master = subprocess.Popen([os.path.join(ROOT, "bin", "berth"), "run", "-c", self.config],
                                       stdout=self.log_file, stderr=subprocess.STDOUT)
        self.socket = os.path.join(self.dir, "run", "berth.sock")
        self.wait(lambda s: s is not None and all(w["state"] == "ready" for w in self.workers(s))
                  and len(self.workers(s)) == workers and len(self.spares(s)) == spares, 120, "berth ready")
        self.port = int(self.status()["services"][0]["listen"][0].rsplit(":", 1)[1])

    def request(self, command):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(10)
            s.connect(self.socket)
            s.sendall((json.dumps({"command": command}) + "\n").encode())
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        return json.loads(data)

    def status(self):
        try:
            return self.request("status")["status"]
        except (OSError, ValueError):
            if self.master.poll() is not None:
                raise RuntimeError("berth exited; log: " + self.log_path)
            return None

    @staticmethod
    def workers(status):
        """The pools' workers, spares left out."""
        return [w for p in status["pools"] for w in p["workers"] if not w["state"].startswith("spare")]

    @staticmethod
    def spares(status):
        return [w for p in status["pools"] for w in p["workers"] if w["state"] == "spare"]

    def wait(self, condition, timeout, what, interval=0.002):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.status()
            if condition(s):
                return s
            time.sleep(interval)
        raise RuntimeError("not %s within %s s; log: %s" % (what, timeout, self.log_path))

    def pids(self):
        s = self.status()
        children = [w["pid"] for p in s["pools"] for w in p["workers"] + p.get("dispatchers", [])]
        return [self.master.pid] + children

    def close(self):
        if self.master.poll() is None:
            self.master.send_signal(signal.SIGINT)
            try:
                self.master.wait(20)
            except subprocess.TimeoutExpired:
                self.master.kill()
                self.master.wait()
        self.log_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def replacement(args):
    berth = Berth(2, args.accept, args.jvm_options, spares=args.spares)
    try:
        times = []
        for i in range(args.kills):
            if i or args.spares:
                # calm: past the restart policy's 10 s, so every kill is a first crash; a spare
                # gets it before the first kill too, as it is started once the workers are ready
                time.sleep(args.calm)
            berth.wait(lambda s: len(Berth.spares(s)) >= args.spares, 60, "spares started")
            old = next(w for w in Berth.workers(berth.status()) if w["id"] == 1)
            t0 = time.monotonic()
            os.kill(old["pid"], signal.SIGKILL)
            berth.wait(lambda s: any(w["id"] == 1 and w["pid"] != old["pid"] and w["state"] == "ready"
                                     for w in Berth.workers(s)), 30, "worker 1 replaced")
            times.append((time.monotonic() - t0) * 1000)
            log("replacement %d: %.0f ms" % (i + 1, times[-1]))
        return {"what": "replacement", "accept": args.accept, "spares": args.spares, "kills": len(times),
                "median_ms": round(statistics.median(times), 1), "min_ms": round(min(times), 1),
                "max_ms": round(max(times), 1), "runs_ms": [round(t, 1) for t in times]}
    finally:
        berth.close()


def threads(pid):
    """Each thread of pid: (name, CPU ns from schedstat, context switches), keyed by tid."""
    out = {}
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/comm" % (pid, tid)) as f:
                name = f.read().strip()
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                ns = int(f.read().split()[0])
            switches = 0
            with open("/proc/%d/task/%s/status" % (pid, tid)) as f:
                for line in f:
                    if line.startswith(("voluntary_ctxt_switches:", "nonvoluntary_ctxt_switches:")):
                        switches += int(line.split()[1])
            out[tid] = (name, ns, switches)
        except (FileNotFoundError, ProcessLookupError):
            pass
    return out


def busiest_threads(before, after, elapsed, count=12):
    """The threads that used the most CPU between two samples of threads() over all processes."""
    rows = []
    for pid, now in after.items():
        then = before.get(pid, {})
        for tid, (name, ns, switches) in now.items():
            ns0, sw0 = then.get(tid, (name, 0, 0))[1:]
            rows.append({"pid": pid, "thread": name, "cpu_pct": round(100.0 * (ns - ns0) / 1e9 / elapsed, 3),
                         "wakeups_per_s": round((switches - sw0) / elapsed, 1)})
    rows.sort(key=lambda r: -r["cpu_pct"])
    return rows[:count]


def idle(args):
    berth = Berth(2, args.accept, args.jvm_options, spares=args.spares)
    try:
        time.sleep(args.settle)
        pids = berth.pids()
        before = {p: cpu_ticks(p) for p in pids}
        threads_before = {p: threads(p) for p in pids}
        t0 = time.monotonic()
        time.sleep(args.idle)
        elapsed = time.monotonic() - t0
        after = {p: cpu_ticks(p) for p in pids}
        threads_after = {p: threads(p) for p in pids}
        per = {str(p): round(100.0 * (after[p] - before[p]) / TICK / elapsed, 3) for p in pids}
        total = sum(after[p] - before[p] for p in pids) / TICK
        every = busiest_threads(threads_before, threads_after, elapsed, 10_000)
        wakeups = sum(r["wakeups_per_s"] for r in every)
        log("threads: " + "; ".join("%s(%d) %.3f%% %.1f/s" % (t["thread"], t["pid"], t["cpu_pct"], t["wakeups_per_s"])
                                    for t in every if t["wakeups_per_s"] > 0 or t["cpu_pct"] > 0))
        return {"what": "idle", "accept": args.accept, "seconds": round(elapsed, 1),
                "cpu_pct_of_one_core": round(100.0 * total / elapsed, 3),
                "per_process_pct": per, "processes": len(pids), "wakeups_per_s": round(wakeups, 1),
                "spares": {str(w["pid"]): round(rss_kib(w["pid"]) / 1024, 1) for w in Berth.spares(berth.status())},
                "busiest_threads": busiest_threads(threads_before, threads_after, elapsed)}
    finally:
        berth.close()


def wrk(port, seconds, close):
    cmd = ["wrk", "-t2", "-c64", "-d%ds" % seconds, "http://127.0.0.1:%d/" % port]
    if close:
        cmd[1:1] = ["-H", "Connection: close"]
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)


def rss(args):
    berth = Berth(2, args.accept, args.jvm_options)
    try:
        workers = [p for p in berth.pids()[1:]]
        start = {str(p): rss_kib(p) for p in workers}
        wrk(berth.port, args.load, False)
        keepalive = {str(p): rss_kib(p) for p in workers}
        wrk(berth.port, args.load, True)
        close = {str(p): rss_kib(p) for p in workers}
        return {"what": "rss", "accept": args.accept, "load_seconds": args.load,
                "ready_kib": start, "after_keepalive_kib": keepalive, "after_close_kib": close,
                "max_mib": round(max(list(keepalive.values()) + list(close.values())) / 1024, 1)}
    finally:
        berth.close()


def openloop(port, rate, seconds, keepalive, extra=()):
    """One bench/openloop run (`extra`: more of its options); its JSON summary of all requests."""
    binary = os.path.join(ROOT, "bench", "work", "openloop")
    source = os.path.join(ROOT, "bench", "openloop.c")
    if not os.path.exists(binary) or os.path.getmtime(binary) < os.path.getmtime(source):
        os.makedirs(os.path.dirname(binary), exist_ok=True)
        subprocess.run(["gcc", "-O2", "-o", binary, source, "-lm"], check=True)
    out = subprocess.run([binary, "-p", str(port), "-r", str(rate), "-d", str(seconds), "-k", str(keepalive), "-q",
                          *extra],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out[out.rindex("JSON ") + 5:].splitlines()[0])["all"]


def settle(port, seconds=1.0, limit=15.0):
    """Waits until the listening socket's accept queue is empty, then `seconds` more: connections a
    warm-up left queued (its client gone) would otherwise be served first, inside the next run."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        out = subprocess.run(["ss", "-Hltn", "sport = :%d" % port], capture_output=True, text=True).stdout.split()
        if not out or out[1] == "0":
            break
        time.sleep(0.1)
    time.sleep(seconds)


def compiler_ns(pids):
    """CPU time of the JIT compiler threads of pids."""
    return sum(ns for p in pids for name, ns, _ in threads(p).values() if name.startswith(("C1 Compiler", "C2 Compiler")))


def warm_until_compiled(berth, rate, keepalive, seconds=3, runs=6):
    """Runs of `seconds` until the JIT compilers used under 5 % of a CPU in the last one (at most
    `runs`): a worker's connection-per-request path compiles for 5-8 s on 2 cores after keep-alive
    load, and the JVM's warm-up is not what the tail is about. Returns the number of runs."""
    pids = berth.pids()
    for n in range(1, runs + 1):
        before = compiler_ns(pids)
        openloop(berth.port, rate, seconds, keepalive)
        if compiler_ns(pids) - before < 0.05 * seconds * 1e9:
            return n
    return runs


def tail(args):
    berth = Berth(2, args.accept, args.jvm_options)
    try:
        result = {"what": "tail", "accept": args.accept, "rate": args.rate, "seconds": args.load}
        for name, keepalive in (("keepalive", 64), ("close", 0)):
            warmups = warm_until_compiled(berth, args.rate, keepalive)
            settle(berth.port)
            stats = openloop(berth.port, args.rate, args.load, keepalive)
            result[name] = {k: stats.get(k) for k in ("requests", "errors", "p50", "p99", "p999", "max")}
            result[name]["warmup_runs"] = warmups
        return result
    finally:
        berth.close()


def idleconn(args):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    conns = min(args.conns, hard - 100)
    berth = Berth(2, args.accept, args.jvm_options)
    sockets = []
    try:
        workers = berth.pids()[1:]
        wrk(berth.port, 2, False)
        time.sleep(2)
        before = sum(rss_kib(p) for p in workers)
        request = b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        for i in range(conns):
            s = socket.create_connection(("127.0.0.1", berth.port))
            s.sendall(request)
            sockets.append(s)
        for s in sockets:
            data = b""
            while b"hello\n" not in data:
                chunk = s.recv(4096)
                if not chunk:
                    raise RuntimeError("connection closed")
                data += chunk
        time.sleep(3)
        after = sum(rss_kib(p) for p in workers)
        active = sum(w["active"] for w in Berth.workers(berth.status()))
        return {"what": "idleconn", "accept": args.accept, "connections": conns, "active_in_status": active,
                "workers_rss_before_kib": before, "workers_rss_after_kib": after,
                "kib_per_connection": round((after - before) / conns, 2)}
    finally:
        for s in sockets:
            s.close()
        berth.close()


def reload(args):
    berth = Berth(4, args.accept, args.jvm_options, spares=args.spares)
    try:
        times, gone = [], []
        for i in range(args.reloads):
            berth.wait(lambda s: len(Berth.spares(s)) >= args.spares, 60, "spares started")
            gen = berth.status()["master"]["generation"]
            t0 = time.monotonic()
            reply = berth.request("reload")
            if not reply.get("ok"):
                raise RuntimeError("reload refused: %s" % reply)
            berth.wait(lambda s: sum(1 for w in Berth.workers(s) if w["generation"] > gen and w["state"] == "ready") >= 4,
                       60, "4 new workers ready")
            times.append((time.monotonic() - t0) * 1000)
            berth.wait(lambda s: all(w["generation"] > gen for w in Berth.workers(s)), 60, "old workers gone")
            gone.append((time.monotonic() - t0) * 1000)
            log("reload %d: new generation ready after %.0f ms, old gone after %.0f ms" % (i + 1, times[-1], gone[-1]))
        return {"what": "reload", "accept": args.accept, "spares": args.spares, "workers": 4, "reloads": len(times),
                "ready_median_ms": round(statistics.median(times), 1), "ready_runs_ms": [round(t, 1) for t in times],
                "old_gone_median_ms": round(statistics.median(gone), 1), "old_gone_runs_ms": [round(t, 1) for t in gone]}
    finally:
        berth.close()


PROFILE_VIEWS = ("hot-methods", "allocation-by-class", "allocation-by-site", "gc-pauses", "gc",
                 "vm-operations", "latencies-by-type", "thread-cpu-load", "compiler-statistics")


def profile(args):
    """JFR (settings=profile) of the workers under open-loop load as in `tail` (RATE requests/s, LOAD s
    keep-alive, then LOAD s one connection per request, after the same warm-up), dumped with
    `jcmd JFR.dump` while the workers run: `close` ends them with SIGKILL (berth's `--now`), so a
    dump on exit would never be written. The views of worker 1 go to --profile-out as text."""
    out = os.path.abspath(args.profile_out)
    os.makedirs(out, exist_ok=True)
    java_home = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
    options = args.jvm_options + ["-XX:StartFlightRecording=settings=profile"]
    berth = Berth(2, args.accept, options)
    jfr = os.path.join(out, "worker.jfr")
    try:
        for keepalive in (64, 0):
            warm_until_compiled(berth, args.rate, keepalive)
            settle(berth.port)
            openloop(berth.port, args.rate, args.load, keepalive)
        worker = min(Berth.workers(berth.status()), key=lambda w: w["id"])
        subprocess.run([os.path.join(java_home, "bin", "jcmd"), str(worker["pid"]), "JFR.dump", "filename=" + jfr],
                       check=True, capture_output=True, text=True)
    finally:
        berth.close()
    views = {}
    for view in PROFILE_VIEWS:
        r = subprocess.run([os.path.join(java_home, "bin", "jfr"), "view", "--width", "160", view, jfr],
                           capture_output=True, text=True)
        if r.returncode != 0 or not r.stdout.strip():
            raise RuntimeError("jfr view %s %s failed (%d): %s" % (view, jfr, r.returncode, r.stderr.strip()))
        views[view] = r.stdout
        with open(os.path.join(out, view + ".txt"), "w") as f:
            f.write(r.stdout)
    os.remove(jfr)
    return {"what": "profile", "accept": args.accept, "rate": args.rate, "load_seconds": args.load, "dir": out,
            "hot_methods": views["hot-methods"].splitlines()[:30]}


MEASURES = {"replacement": replacement, "idle": idle, "rss": rss, "idleconn": idleconn, "reload": reload,
            "tail": tail, "profile": profile}


def spares(result):
    """How a result's pool kept spares, for its row's label."""
    return ", spare-workers: %d" % result["spares"] if result.get("spares") else ""


def markdown(results):
    """The results as the markdown section bench/run puts into host-cost.md."""
    lines = ["| measure | figure | goal | details |", "|---|---:|---|---|"]
    for r in results:
        w = r["what"]
        if w == "replacement":
            lines.append("| SIGKILL -> replacement ready (median of %d)%s | %.0f ms | <= 300 ms | runs %s ms |"
                         % (r["kills"], spares(r), r["median_ms"], ", ".join("%.0f" % t for t in r["runs_ms"])))
        elif w == "idle":
            lines.append("| idle CPU, master + %d children, %.0f s | %.2f %% of one CPU | <= 0.5 %% | per process %s; "
                         "%.0f wake-ups/s in all; busiest threads %s |"
                         % (r["processes"] - 1, r["seconds"], r["cpu_pct_of_one_core"],
                            ", ".join("%s: %.2f" % kv for kv in r["per_process_pct"].items()), r["wakeups_per_s"],
                            ", ".join("%s (%d) %.2f %% %.0f/s" % (t["thread"], t["pid"], t["cpu_pct"], t["wakeups_per_s"])
                                      for t in r["busiest_threads"][:6])))
        elif w == "rss":
            lines.append("| worker RSS after %d s wrk keep-alive + %d s close | %.1f MiB | <= 128 MiB | "
                         "ready %s KiB; after keep-alive %s; after close %s |"
                         % (r["load_seconds"], r["load_seconds"], r["max_mib"], list(r["ready_kib"].values()),
                            list(r["after_keepalive_kib"].values()), list(r["after_close_kib"].values())))
        elif w == "idleconn":
            lines.append("| RSS per idle keep-alive connection (%d open) | %.2f KiB | <= 4 KiB | workers %d -> %d KiB |"
                         % (r["connections"], r["kib_per_connection"], r["workers_rss_before_kib"],
                            r["workers_rss_after_kib"]))
        elif w == "reload":
            lines.append("| reload of a 4-worker pool: new generation ready (median of %d)%s | %.0f ms | <= 1000 ms | "
                         "old generation gone after %.0f ms |" % (r["reloads"], spares(r), r["ready_median_ms"],
                                                                  r["old_gone_median_ms"]))
        elif w == "tail":
            lines.append("| open-loop latency at %d req/s, %d s (p50 / p99 / p99.9 ms) | keep-alive %s / %s / %s; "
                         "close %s / %s / %s | p99 <= 2x nginx's | errors %d keep-alive, %d close |"
                         % (r["rate"], r["seconds"], r["keepalive"]["p50"], r["keepalive"]["p99"],
                            r["keepalive"]["p999"], r["close"]["p50"], r["close"]["p99"], r["close"]["p999"],
                            r["keepalive"]["errors"], r["close"]["errors"]))
        elif w == "profile":
            lines.append("| hot path profile (JFR, open loop %d req/s, %d s keep-alive + %d s close) | see %s | | |"
                         % (r["rate"], r["load_seconds"], r["load_seconds"], os.path.basename(r["dir"])))
    return "\n".join(lines) + "\n"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("what", nargs="+", choices=list(MEASURES) + ["all"])
    p.add_argument("--out")
    p.add_argument("--accept", default="shared")
    p.add_argument("--jvm-options", default="", help="extra worker JVM options (pool jvm-options)")
    p.add_argument("--kills", type=int, default=7)
    p.add_argument("--spares", type=int, default=0, help="replacement, reload, idle: the pool's spare-workers (idle gives each spare's RSS in MiB)")
    p.add_argument("--calm", type=float, default=11)
    p.add_argument("--idle", type=float, default=60)
    p.add_argument("--settle", type=float, default=10)
    p.add_argument("--load", type=int, default=8)
    p.add_argument("--conns", type=int, default=10000)
    p.add_argument("--rate", type=int, default=10000, help="tail, profile: requests/s")
    p.add_argument("--reloads", type=int, default=5)
    p.add_argument("--profile-out", default=os.path.join(ROOT, "bench", "work", "profile"))
    p.add_argument("--md", help="also write the results as a markdown table to this file")
    args = p.parse_args()
    args.jvm_options = args.jvm_options.split()
    what = [m for m in MEASURES if m != "profile"] if "all" in args.what else args.what
    results = []
    for w in what:
        r = MEASURES[w](args)
        print(json.dumps(r), flush=True)
        results.append(r)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(results, f, indent=1)
    if args.md:
        with open(args.md, "w") as f:
            f.write(markdown(results))


if __name__ == "__main__":
    main()
