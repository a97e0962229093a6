#!/usr/bin/env python3
"""Turns the raw output of bench/run (DIR/raw/strategies/) into DIR/strategies.md, strategies.json and
strategies.svg. When the closed-loop phase measured berth-shared, nginx and nginx-reuseport, it also
writes their measurements as DIR/raw/ in the layout of the host-core report, for bench/summarize.py.

    python3 bench/strategies.py bench/work/runs/STAMP
    python3 bench/strategies.py --raw bench/results/raw/strategies --out /tmp/x   # re-render
"""
import json
import math
import re
import shutil
import statistics
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summarize import first_of_each, parse_cpu, parse_stat, parse_wrk  # noqa: E402

MODES = [("keepalive", "Keep-alive"), ("close", "Connection per request (`Connection: close`)")]
PEERS = ("nginx", "nginx-reuseport")
COLORS = {"berth-shared": "#1f77b4", "berth-mutex": "#2ca02c", "berth-reuseport": "#9467bd",
          "berth-handoff": "#17becf", "nginx": "#d62728", "nginx-reuseport": "#ff7f0e"}


def median(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def tsv(path):
    if not path.exists():
        return []
    lines = path.read_text().splitlines()
    if not lines:
        return []
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]


def openloop_json(path):
    for line in path.read_text().splitlines():
        if line.startswith("JSON "):
            return json.loads(line[5:])
    raise ValueError(f"{path}: no JSON line")


def workers(status):
    return {w["id"]: w for p in status["pools"] for w in p["workers"]}


def restarts(status):
    return sum(p.get("restarts", 0) for p in status["pools"])


def balance(raw, name, notes):
    """Per-worker accepted/served deltas between NAME.status-before.json and -after.json."""
    b, a = raw / f"{name}.status-before.json", raw / f"{name}.status-after.json"
    if not (b.exists() and a.exists()):
        return None
    st_b, st_a = json.loads(b.read_text()), json.loads(a.read_text())
    wb, wa = workers(st_b), workers(st_a)
    per = {}
    for wid, w in sorted(wa.items()):
        old = wb.get(wid)
        same = old is not None and old["pid"] == w["pid"]
        if not same:
            notes.append(f"{name}: worker {wid} was replaced during the measurement "
                         f"(pid {old['pid'] if old else '-'} -> {w['pid']})")
        per[str(wid)] = {"pid": w["pid"],
                         "accepted": w["accepted"] - (old["accepted"] if same else 0),
                         "served": w["served"] - (old["served"] if same else 0)}
    acc = [v["accepted"] for v in per.values()]
    srv = [v["served"] for v in per.values()]
    if restarts(st_a) != restarts(st_b):
        notes.append(f"{name}: pool restarts went {restarts(st_b)} -> {restarts(st_a)}")
    def max_min(xs):
        if not xs or max(xs) == 0:
            return None
        return max(xs) / min(xs) if min(xs) > 0 else math.inf
    return {"workers": per,
            "accepted_max_min": max_min(acc),
            "served_max_min": max_min(srv),
            "restarts_before": restarts(st_b), "restarts_after": restarts(st_a)}


def cpu_seconds(before, after, tck):
    b, a = parse_cpu(before), parse_cpu(after)
    return sum(a[p] - b.get(p, 0) for p in a) / tck, sorted(set(b) - set(a))


LOG_TS = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ")


def berth_log_events(path, victim, t_signal):
    """From a berth log: when the master found the victim hung, saw it die, and had its replacement
    ready (seconds after the signal), and any other worker it declared hung."""
    ev = {"victim_hung_after_s": None, "victim_dead_after_s": None, "replacement_ready_after_s": None,
          "other_hung": []}
    if not path.exists():
        return ev
    victim = str(victim)
    replacement = None
    for line in path.read_text(errors="replace").splitlines():
        m = LOG_TS.match(line)
        if not m or " master pid=" not in line:
            continue
        t = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        dt = round(t - t_signal, 3)
        if dt < -0.5:
            continue
        pid = re.search(r" id=\S+ pid=(\d+) gen=\S+ (.*)$", line)
        if not pid:
            continue
        who, what = pid.group(1), pid.group(2)
        if what.startswith("hung:"):
            if who == victim:
                if ev["victim_hung_after_s"] is None:
                    ev["victim_hung_after_s"] = dt
            else:
                ev["other_hung"].append({"after_s": dt, "pid": who, "line": what[:160]})
        elif who == victim and ("killed" in what or "died" in what or "exited" in what):
            if ev["victim_dead_after_s"] is None:
                ev["victim_dead_after_s"] = dt
        elif what.startswith("starting") and who != victim and replacement is None and dt >= 0:
            replacement = who
        elif who == replacement and what.startswith("ready in") and ev["replacement_ready_after_s"] is None:
            ev["replacement_ready_after_s"] = dt
    return ev


def load(raw):
    env = {}
    for line in (raw / "env.txt").read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    tck = int(env.get("clk_tck", "100"))
    servers = env.get("servers", "").split()
    notes = []
    for row in (raw / "busy-starts.tsv").read_text().splitlines() if (raw / "busy-starts.tsv").exists() else []:
        label, pct = row.split("\t")
        notes.append(f"{label}: started although other processes used {pct} % of a CPU "
                     f"(waited {env.get('quiet_wait')} s for less than {env.get('quiet_pct')} %)")
    for row in (raw / "unavailable.tsv").read_text().splitlines() if (raw / "unavailable.tsv").exists() else []:
        s, why = row.split("\t", 1)
        notes.append(f"`accept: {s}` was not measured: `berth check` said: {why.strip()}")

    # closed loop
    runs = []
    for rec in tsv(raw / "measurements.tsv"):
        run = {"round": int(rec["round"]), "server": rec["server"], "mode": rec["mode"], "name": rec["name"],
               "start_utc": rec["start_utc"]}
        run.update(parse_wrk(raw / f"{rec['name']}.wrk.txt"))
        run["server_cpu_s"], lost = cpu_seconds(rec["cpu_before"], rec["cpu_after"], tck)
        if lost:
            notes.append(f"{run['name']}: pid(s) {lost} exited during the measurement; their CPU is missing")
        run["server_cpu_us_per_req"] = run["server_cpu_s"] * 1e6 / run["requests"] if run["requests"] else None
        run["wrk_cpu_s"] = float(rec["wrk_user_s"]) + float(rec["wrk_sys_s"])
        sb, sa = parse_stat(rec["stat_before"]), parse_stat(rec["stat_after"])
        busy = (sa["busy"] - sb["busy"]) / tck
        total = busy + (sa["idle"] - sb["idle"]) / tck
        run["cpu_s_other"] = round(busy - run["server_cpu_s"] - run["wrk_cpu_s"], 2)
        run["cpu_s_available"] = round(total, 2)
        if run["cpu_s_other"] > 0.1 * total:
            notes.append(f"{run['name']}: other processes used {run['cpu_s_other']:.1f} of {total:.1f} CPU-s "
                         "during the measurement (shared machine); treat it with care")
        if run["errors_total"]:
            notes.append(f"{run['name']}: wrk reported errors {run['errors']}")
        if run["server"].startswith("berth-"):
            run["balance"] = balance(raw, run["name"], notes)
        runs.append(run)

    # open loop at a fixed rate
    openloop = []
    for rec in tsv(raw / "openloop.tsv"):
        j = openloop_json(raw / f"{rec['name']}.openloop.txt")
        o = {"server": rec["server"], "mode": rec["mode"], "name": rec["name"], "start_utc": rec["start_utc"],
             "result": j}
        o["server_cpu_s"], _ = cpu_seconds(rec["cpu_before"], rec["cpu_after"], tck)
        ok = j["all"]["ok"]
        o["server_cpu_us_per_req"] = o["server_cpu_s"] * 1e6 / ok if ok else None
        sb, sa = parse_stat(rec["stat_before"]), parse_stat(rec["stat_after"])
        o["machine_busy_cpu_s"] = round((sa["busy"] - sb["busy"]) / tck, 2)
        if rec["server"].startswith("berth-"):
            o["balance"] = balance(raw, rec["name"], notes)
        if j["all"]["errors"]:
            notes.append(f"{rec['name']}: open-loop errors {j['all']['errors']} ({nonzero(j['all']['by'])})")
        if j["start_lag_ms"]["p99"] > 10.0:
            why = ("short of CPU, or all connections busy" if rec["mode"] == "keepalive" else "short of CPU")
            notes.append(f"{rec['name']}: the load generator started 1 % of its requests more than "
                         f"{j['start_lag_ms']['p99']:.1f} ms late ({why}); that counts in the latency")
        openloop.append(o)

    # faults
    faults = []
    for rec in tsv(raw / "faults.tsv"):
        j = openloop_json(raw / f"{rec['name']}.openloop.txt")
        f = {"server": rec["server"], "fault": rec["fault"], "name": rec["name"], "victim_pid": int(rec["pid"]),
             "signal_at_s": round(float(rec["signal_epoch"]) - float(rec["start_epoch"]), 3),
             "cont_at_s": (round(float(rec["cont_epoch"]) - float(rec["start_epoch"]), 3)
                           if rec.get("cont_epoch") else None),
             "victim_alive_after_run": rec["still_alive_after"] == "yes", "result": j}
        if rec.get("restarts_before"):
            f["restarts_before"], f["restarts_after"] = int(rec["restarts_before"]), int(rec["restarts_after"])
        if rec["server"].startswith("berth-"):
            f["berth_log"] = berth_log_events(raw / f"{rec['name']}.berth-log.txt", rec["pid"],
                                              float(rec["signal_epoch"]))
            for h in f["berth_log"]["other_hung"]:
                notes.append(f"{rec['name']}: berth also declared pid {h['pid']} hung {h['after_s']:+.1f} s from the "
                             f"{rec['fault'].upper()} ({h['line']})")
            if f["victim_alive_after_run"]:
                notes.append(f"{rec['name']}: the stopped worker {rec['pid']} was still alive after the run "
                             "(berth did not kill it); bench/run sent SIGCONT")
        faults.append(f)
    # hang detections of workers nobody stopped, over each berth server's whole phase 2
    false_hangs = {}
    for f in faults:
        if not f["server"].startswith("berth-"):
            continue
        victims = {str(x["victim_pid"]) for x in faults if x["server"] == f["server"]}
        logf = raw / f"{f['name']}.berth-log.txt"
        if not logf.exists():
            continue
        lines = []
        for line in logf.read_text(errors="replace").splitlines():
            m = re.search(r" master pid=\d+ .* id=\S+ pid=(\d+) gen=\S+ hung: (.*)$", line)
            if m and m.group(1) not in victims:
                lines.append(line[:23] + f" pid {m.group(1)}: {m.group(2)[:60]}")
        false_hangs[f["server"]] = lines   # the last fault run's copy of the log has them all
    for server, lines in false_hangs.items():
        if lines:
            notes.append(f"{server} (phase 2, `hang-timeout: {env.get('hang_timeout')}`): berth declared "
                         f"{len(lines)} worker(s) hung that the benchmark had not stopped, and replaced them: "
                         + "; ".join(lines[:6]) + (" …" if len(lines) > 6 else ""))
    for f in faults:
        f["false_hangs_in_phase"] = len(false_hangs.get(f["server"], []))
    return env, servers, runs, openloop, faults, notes


def nonzero(by):
    return ", ".join(f"{k} {v}" for k, v in by.items() if v) or "none"


def summarize(env, servers, runs, openloop, faults):
    summary = {}
    for mode, _ in MODES:
        d = {}
        for s in servers:
            rs = [r for r in runs if r["server"] == s and r["mode"] == mode]
            ol = [o for o in openloop if o["server"] == s and o["mode"] == mode]
            e = {}
            if rs:
                e.update({
                    "runs": len(rs),
                    "rps_median": median([r["rps"] for r in rs]),
                    "rps_per_run": [r["rps"] for r in sorted(rs, key=lambda r: r["round"])],
                    "wrk_p50_ms": median([r["latency_ms"].get("p50") for r in rs]),
                    "wrk_p99_ms": median([r["latency_ms"].get("p99") for r in rs]),
                    "wrk_errors": sum(r["errors_total"] for r in rs),
                    "server_cpu_us_per_req": median([r["server_cpu_us_per_req"] for r in rs]),
                    "accepted_max_min": median([r["balance"]["accepted_max_min"] for r in rs if r.get("balance")]),
                    "served_max_min": median([r["balance"]["served_max_min"] for r in rs if r.get("balance")]),
                })
            if ol:
                j = ol[0]["result"]
                e["openloop"] = {"rate": j["rate"], "p50_ms": j["all"]["p50"], "p99_ms": j["all"]["p99"],
                                 "p999_ms": j["all"]["p999"], "max_ms": j["all"]["max"],
                                 "requests": j["all"]["requests"], "errors": j["all"]["errors"],
                                 "errors_by": j["all"]["by"], "start_lag_p99_ms": j["start_lag_ms"]["p99"],
                                 "server_cpu_us_per_req": ol[0]["server_cpu_us_per_req"]}
                if ol[0].get("balance"):
                    e["openloop"]["accepted_max_min"] = ol[0]["balance"]["accepted_max_min"]
                    e["openloop"]["served_max_min"] = ol[0]["balance"]["served_max_min"]
            if e:
                d[s] = e
        for s, e in d.items():
            for peer in PEERS:
                if "rps_median" in e and peer in d and d[peer].get("rps_median"):
                    e["ratio_vs_" + peer] = e["rps_median"] / d[peer]["rps_median"]
                    if e.get("server_cpu_us_per_req") and d[peer].get("server_cpu_us_per_req"):
                        e["cpu_ratio_vs_" + peer] = e["server_cpu_us_per_req"] / d[peer]["server_cpu_us_per_req"]
                    paired = []
                    for r in (x for x in runs if x["server"] == s and x["mode"] == mode):
                        p = [x for x in runs if x["server"] == peer and x["mode"] == mode and x["round"] == r["round"]]
                        if p:
                            paired.append(round(r["rps"] / p[0]["rps"], 3))
                    e["paired_ratio_per_round_vs_" + peer] = paired
        summary[mode] = d
    return summary


# ------------------------------------------------------------------------------------------ rendering

def ms(v):
    if v is None:
        return "fail"
    if v >= 100:
        return f"{v:,.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def ratio(v):
    return "–" if v is None else f"{v:.2f}"


def mm(v):
    if v is None:
        return "–"
    return "∞" if math.isinf(v) else f"{v:.2f}"


def finite(o):
    """JSON has no infinity: a max/min with an idle worker is written as null."""
    if isinstance(o, float) and (math.isinf(o) or math.isnan(o)):
        return None
    if isinstance(o, dict):
        return {k: finite(v) for k, v in o.items()}
    if isinstance(o, list):
        return [finite(v) for v in o]
    return o


def errs(st):
    by = st["by"]
    n = st["errors"]
    if not n:
        return "0"
    parts = []
    for k, label in (("refused", "refused"), ("reset", "reset"), ("timeout_connect", "timeout (connect)"),
                     ("timeout_response", "timeout (response)"), ("bad_status", "non-200"),
                     ("client_limit", "client fd/port limit"), ("other", "other")):
        if by.get(k):
            parts.append(f"{by[k]} {label}")
    return f"{n} ({', '.join(parts)})"


def window(j, frm, to):
    for w in j["windows"]:
        if abs(w["from_s"] - frm) < 1e-9 and abs(w["to_s"] - to) < 1e-9:
            return w["stats"]
    return None


def render(res):
    env, servers, summary, faults = res["env"], res["servers"], res["summary"], res["faults"]
    L = []
    a = L.append
    fa, fc, fd = int(env.get("fault_at", 3)), int(env.get("fault_cont_at", 9)), int(env.get("fault_duration", 12))
    rate = env.get("rate")
    a("# berth accept strategies vs nginx (loopback)")
    a("")
    a(f"Generated by `bench/run` (suite `{env.get('suite')}`), started {env.get('date_utc')}, ended "
      f"{env.get('date_end_utc', '?')}. Servers: {', '.join(f'`{s}`' for s in servers)}. Every figure compares "
      "servers measured in the same run on the same 2-CPU machine, which other people were using too "
      "(see Notes).")
    a("")
    if (res.get("chart")):
        a(f"![req/s per server and mode, and p99.9 with one worker stopped]({res['chart']})")
        a("")
    # ---------------------------------------------------------------- headline
    a("## Headline")
    a("")
    hdr = "| server |"
    sep = "|---|"
    cols = []
    if any("rps_median" in summary.get(m, {}).get(s, {}) for m, _ in MODES for s in servers):
        for m, short in (("keepalive", "keep-alive"), ("close", "conn/request")):
            for peer in PEERS:
                cols.append(("ratio", m, peer))
                hdr += f" {short} ÷ {peer} |"
                sep += "---:|"
        cols.append(("balance", "close", None))
        hdr += " accepted max/min (conn/request, wrk) |"
        sep += "---:|"
        cols.append(("balance", "keepalive", None))
        hdr += " served max/min (keep-alive, wrk) |"
        sep += "---:|"
    if any("openloop" in summary.get("close", {}).get(s, {}) for s in servers):
        cols.append(("olbalance", "close", None))
        hdr += f" accepted max/min (conn/request, open loop {rate}/s) |"
        sep += "---:|"
    if faults:
        hdr += (f" SIGSTOP {fa}–{fc} s: p99 / p99.9 ms | SIGSTOP {fa}–{fc} s errors | SIGKILL: errors (lost) | "
                "SIGKILL p99 ms | healthy workers killed as hung (phase 2) |")
        sep += "---:|---:|---:|---:|---:|"
    a(hdr)
    a(sep)
    for s in servers:
        row = f"| {s} |"
        for kind, m, peer in cols:
            e = summary.get(m, {}).get(s, {})
            if kind == "ratio":
                row += f" {ratio(e.get('ratio_vs_' + peer))} |"
            elif kind == "olbalance":
                row += f" {mm(e.get('openloop', {}).get('accepted_max_min'))} |"
            elif m == "close":
                row += f" {mm(e.get('accepted_max_min'))} |"
            else:
                row += f" {mm(e.get('served_max_min'))} |"
        if faults:
            st = next((f for f in faults if f["server"] == s and f["fault"] == "stop"), None)
            kl = next((f for f in faults if f["server"] == s and f["fault"] == "kill"), None)
            if st:
                w = window(st["result"], fa, fc)
                row += f" {ms(w['p99'])} / {ms(w['p999'])} | {w['errors']} |"
            else:
                row += " – | – |"
            if kl:
                row += f" {kl['result']['all']['errors']} | {ms(kl['result']['all']['p99'])} |"
            else:
                row += " – | – |"
            fh = next((f.get("false_hangs_in_phase") for f in faults if f["server"] == s), None)
            row += f" {fh if s.startswith('berth-') and fh is not None else '–'} |"
        a(row)
    a("")
    a("Ratios are req/s medians ÷ the peer's median in the same run (closed loop, wrk). Balance is "
      "max/min over the 2 workers of `berth status` counters during the measurement (1.00 = even). "
      f"Faults: open loop at {rate} req/s, one connection per request, timeout {env.get('ol_timeout_ms')} ms; "
      "a failed request counts as infinitely slow, so a percentile that lands on one reads `fail`.")
    a("")
    # ---------------------------------------------------------------- setup
    a("## Machine and software")
    a("")
    a(f"- nproc {env.get('nproc')} ({env.get('cpu_model')}), {env.get('mem_total')} RAM, kernel `{env.get('kernel')}`, {env.get('os')}")
    a(f"- java: `{env.get('java', '').replace('|', ' / ')}`")
    a(f"- nginx: `{env.get('nginx')}`; wrk: `{env.get('wrk')}`; openloop: `bench/openloop.c` built with `{env.get('gcc')}`")
    a(f"- berth: `{env.get('berth_version')}`, git {env.get('berth_git')}, jar sha256 {env.get('berth_jar_sha256')}…"
      + (f", worker JVM options `{env['berth_jvm_options']}`" if env.get("berth_jvm_options") else ", default worker JVM options"))
    sysctls = ", ".join(f"{k[7:]}={v}" for k, v in env.items() if k.startswith("sysctl_"))
    a(f"- sysctls: {sysctls}; open-files limit {env.get('nofile_limit')}")
    a(f"- load average at start {env.get('loadavg_start')}, at end {env.get('loadavg_end', '?')}")
    a("")
    a("## What was run")
    a("")
    a("- **berth-STRATEGY**: one pool, `workers: 2`, `threads: 1`, `accept: STRATEGY`, `drain-timeout: 2s`, one "
      "`kind: http` service with `response: \"hello\\n\"` on `127.0.0.1:0` (port from `berth status --json`), "
      "run from a private copy of the jar (`BERTH_JAR`). Strategies: those that `berth check` accepted "
      f"({env.get('strategies')}). Configs: `raw/strategies/config/`.")
    a("- **nginx**: `worker_processes 2`, `worker_connections 4096`, `access_log off`, `keepalive_requests 1000000`, "
      "`listen 127.0.0.1:PORT backlog=4096` (**nginx-reuseport** adds `reuseport`), "
      "`location / { return 200 \"hello\\n\"; }`.")
    if env.get("suite") != "tails":
        a(f"- **Closed loop** ({env.get('rounds')} rounds): each round starts every server fresh (order rotating), "
          f"warms it up (wrk {env.get('warmup_ka')} s keep-alive + {env.get('warmup_close')} s close), then "
          f"`wrk -t{env.get('threads')} -c{env.get('connections')} -d{env.get('duration')}s --latency` keep-alive and "
          "with `Connection: close`. Server CPU = utime+stime of the master and all workers from `/proc`.")
    if env.get("suite") != "closed":
        a(f"- **Open loop**: `bench/openloop` at a fixed **{rate} requests/s** for every server "
          f"({env.get('rate_source', '')}), each request's latency measured from its *scheduled* start "
          f"(no coordinated omission), per-request timeout {env.get('ol_timeout_ms')} ms. Keep-alive runs use "
          f"{env.get('ol_connections')} connections, each of which carried one answered request before the "
          f"measured window (a due request waits for a free one); the others open one "
          f"connection per request. {env.get('ol_duration')} s each, after {env.get('ol_warmup')} s + "
          f"{env.get('ol_warmup')} s of open-loop warm-up (not wrk: see Notes).")
        a(f"- **Faults**: the server is started once more; for berth with **`hang-timeout: {env.get('hang_timeout')}`** "
          f"(the default is 2s). {fd} s of open loop, one connection per request; at {fa} s the first worker "
          f"(lowest id; for nginx the lowest pid) gets SIGSTOP and stays stopped: berth must detect it and "
          f"SIGQUIT+SIGKILL it after the hang timeout; nginx has no hang detection, so bench/run sends SIGCONT "
          f"at {fc} s. Then, after {env.get('ol_warmup')} s of warm-up for the replacement, another {fd} s run "
          f"where the first worker gets SIGKILL at {fa} s. Errors: refused, reset (or closed before the "
          "response), timeout before/after the connection was accepted by the kernel, client fd/port limits.")
    a("")
    a("Commands (first use of each; all in `raw/strategies/commands.log`):")
    a("")
    a("```")
    for c in first_of_each(res["commands"], r"/runs/\S+?/|-(closed|tails)/", (r"berth-\w+", "berth-X")):
        a(c)
    a("```")
    a("")
    if res.get("response_bytes"):
        a("Response sizes (`curl -si URL | wc -c`): " + "; ".join(
            f"{s} {v['keepalive']} B keep-alive / {v['close']} B close" for s, v in res["response_bytes"].items()) + ".")
        a("")
    # ---------------------------------------------------------------- per mode
    for mode, title in MODES:
        d = summary.get(mode, {})
        if not d:
            continue
        a(f"## {title}")
        a("")
        if any("rps_median" in e for e in d.values()):
            a(f"Closed loop (wrk, {env.get('connections')} connections, median of {env.get('rounds')} runs):")
            a("")
            a("| server | req/s | ÷ nginx | ÷ nginx-reuseport | server CPU µs/req | CPU ÷ nginx-reuseport | p50 ms | p99 ms | errors | accepted max/min | served max/min | per-run req/s |")
            a("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
            for s in servers:
                e = d.get(s)
                if not e or "rps_median" not in e:
                    continue
                a(f"| {s} | {e['rps_median']:,.0f} | {ratio(e.get('ratio_vs_nginx'))} | "
                  f"{ratio(e.get('ratio_vs_nginx-reuseport'))} | {e['server_cpu_us_per_req']:.1f} | "
                  f"{ratio(e.get('cpu_ratio_vs_nginx-reuseport'))} | {ms(e['wrk_p50_ms'])} | {ms(e['wrk_p99_ms'])} | "
                  f"{e['wrk_errors']} | {mm(e.get('accepted_max_min'))} | {mm(e.get('served_max_min'))} | "
                  f"{', '.join(f'{x / 1000:.1f}k' for x in e['rps_per_run'])} |")
            a("")
        if any("openloop" in e for e in d.values()):
            a(f"Open loop at {rate} req/s"
              + (f" ({env.get('ol_connections')} keep-alive connections)" if mode == "keepalive" else
                 " (one connection per request)") + ":")
            a("")
            a("| server | p50 ms | p99 ms | p99.9 ms | max ms | requests | errors | server CPU µs/req | accepted max/min | served max/min | start lag p99 ms |")
            a("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
            for s in servers:
                o = d.get(s, {}).get("openloop")
                if not o:
                    continue
                cpu = o.get("server_cpu_us_per_req")
                a(f"| {s} | {ms(o['p50_ms'])} | {ms(o['p99_ms'])} | {ms(o['p999_ms'])} | {ms(o['max_ms'])} | "
                  f"{o['requests']:,} | {o['errors']} | {'–' if cpu is None else f'{cpu:.1f}'} | "
                  f"{mm(o.get('accepted_max_min'))} | {mm(o.get('served_max_min'))} | {o['start_lag_p99_ms']:.2f} |")
            a("")
            a("Start lag = actual start − scheduled start of a request, as the generator saw it: CPU "
              "starvation of the generator" + (", or (keep-alive) waiting for one of the connections to be free"
                                              if mode == "keepalive" else "") + ". It is part of the latency.")
            a("")
    # ---------------------------------------------------------------- balance detail
    bal = [r for r in res["runs"] if r.get("balance")] + [o for o in res["openloop"] if o.get("balance")]
    if bal:
        a("## berth balance, per worker")
        a("")
        a("Deltas of `accepted` (connections) and `served` (requests) per worker over each measurement. "
          "wrk opens one extra probe connection before a keep-alive run, so keep-alive runs show "
          f"{env.get('connections')} + 1 accepts.")
        a("")
        a("| measurement | accepted per worker | accepted max/min | served per worker | served max/min |")
        a("|---|---|---:|---|---:|")
        for r in bal:
            b = r["balance"]
            acc = ", ".join(f"w{k}: {v['accepted']:,}" for k, v in b["workers"].items())
            srv = ", ".join(f"w{k}: {v['served']:,}" for k, v in b["workers"].items())
            a(f"| {r['name']} | {acc} | {mm(b['accepted_max_min'])} | {srv} | {mm(b['served_max_min'])} |")
        a("")
    # ---------------------------------------------------------------- faults
    for fault, title in (("stop", "One worker stopped (SIGSTOP)"), ("kill", "One worker killed (SIGKILL)")):
        fs = [f for f in faults if f["fault"] == fault]
        if not fs:
            continue
        a(f"## {title}")
        a("")
        if fault == "stop":
            a(f"Open loop at {rate} req/s, one connection per request, {fd} s; SIGSTOP to one of the 2 workers at "
              f"{fa} s. berth (`hang-timeout: {env.get('hang_timeout')}`) must find the worker hung and kill it; "
              f"nginx gets SIGCONT at {fc} s. Windows are by scheduled start time.")
        else:
            a(f"Open loop at {rate} req/s, one connection per request, {fd} s; SIGKILL to one of the 2 workers at "
              f"{fa} s. berth replaces it after 100 ms, the nginx master respawns it. Errors are the connections lost.")
        a("")
        a(f"| server | whole run: p99 / p99.9 / max ms | whole run errors | {fa}–{fc} s: p50 / p99 / p99.9 / max ms | "
          f"{fa}–{fc} s errors | {fa}–{fa + 1} s: p99 / max ms | berth log, s after the signal: "
          + ("hung found / dead / replacement ready |" if fault == "stop" else "death seen / replacement ready |"))
        a("|---|---:|---|---:|---|---:|---|")
        for f in fs:
            j = f["result"]
            w = window(j, fa, fc)
            w1 = window(j, fa, fa + 1)
            bl = f.get("berth_log")
            det = "–"
            if bl:
                keys = (("victim_hung_after_s",) if fault == "stop" else ()) + \
                    ("victim_dead_after_s", "replacement_ready_after_s")
                det = " / ".join("?" if bl[k] is None else f"{bl[k]:.2f}" for k in keys)
                if bl["other_hung"]:
                    det += f"; **{len(bl['other_hung'])} other worker(s) declared hung**"
            if f["victim_alive_after_run"]:
                det += "; victim still alive after the run"
            a(f"| {f['server']} | {ms(j['all']['p99'])} / {ms(j['all']['p999'])} / {ms(j['all']['max'])} | "
              f"{errs(j['all'])} | {ms(w['p50'])} / {ms(w['p99'])} / {ms(w['p999'])} / {ms(w['max'])} | {errs(w)} | "
              f"{ms(w1['p99'])} / {ms(w1['max'])} | {det} |")
        a("")
        a("Per second (by scheduled start): p99 ms, and errors in brackets.")
        a("")
        secs = max(len(f["result"]["per_second"]) for f in fs)
        a("| server | " + " | ".join(f"{i}–{i + 1}" for i in range(secs)) + " |")
        a("|---|" + "---:|" * secs)
        for f in fs:
            cells = []
            for p in f["result"]["per_second"]:
                st = p["stats"]
                cells.append(ms(st["p99"]) + (f" ({st['errors']})" if st["errors"] else ""))
            a(f"| {f['server']} | " + " | ".join(cells) + " |")
        a("")
    # ---------------------------------------------------------------- cpu
    if res["runs"]:
        a("## CPU during the closed-loop measurements")
        a("")
        a("CPU seconds over each wrk measurement: server, wrk, everything else on the machine (other tenants), "
          "and what was available (CPUs × seconds).")
        a("")
        a("| run | req/s | server CPU s | wrk CPU s | other CPU s | available s |")
        a("|---|---:|---:|---:|---:|---:|")
        for r in res["runs"]:
            a(f"| {r['name']} | {r['rps']:,.0f} | {r['server_cpu_s']:.2f} | {r['wrk_cpu_s']:.2f} | "
              f"{r['cpu_s_other']:.2f} | {r['cpu_s_available']:.1f} |")
        a("")
    a("## Notes")
    a("")
    for n in res["notes"]:
        a(f"- {n}")
    a("- Raw data: `raw/strategies/` (wrk and openloop outputs, `berth status` snapshots, berth logs of the fault "
      "runs, CPU samples, configs, commands); machine-readable summary: `strategies.json`. Re-render with "
      "`python3 bench/strategies.py --raw bench/results/raw/strategies --out DIR`.")
    a("")
    return "\n".join(L)


# ------------------------------------------------------------------------------------------ chart

def esc(s):
    return str(s).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def svg_chart(res):
    """Three panels of bars: keep-alive req/s, connection-per-request req/s, p99.9 under SIGSTOP."""
    servers, summary, env = res["servers"], res["summary"], res["env"]
    fa, fc = int(env.get("fault_at", 3)), int(env.get("fault_cont_at", 9))
    timeout = float(env.get("ol_timeout_ms", 3000))
    panels = []
    for mode, title in (("keepalive", "Keep-alive req/s (wrk, closed loop, median)"),
                        ("close", "Connection per request req/s (wrk, closed loop, median)")):
        vals = [(s, summary.get(mode, {}).get(s, {}).get("rps_median")) for s in servers]
        if any(v for _, v in vals):
            panels.append(("linear", title, vals))
    stops = {f["server"]: window(f["result"], fa, fc) for f in res["faults"] if f["fault"] == "stop"}
    if stops:
        vals = [(s, (stops[s]["p999"] if stops[s]["p999"] is not None else None) if s in stops else None)
                for s in servers]
        panels.append(("log", f"p99.9 ms, requests scheduled {fa}–{fc} s, one worker SIGSTOPped at {fa} s "
                              f"(open loop {env.get('rate')} req/s; log scale)",
                       [(s, v, s in stops) for s, v in vals]))
    W, ph, left, top_pad = 860, 250, 70, 40
    H = ph * len(panels) + 20
    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
         'font-family="sans-serif" font-size="12">', f'<rect width="{W}" height="{H}" fill="white"/>']
    for i, panel in enumerate(panels):
        kind, title, vals = panel
        y0 = i * ph + 10
        plot_top, plot_bot = y0 + top_pad, y0 + ph - 45
        o.append(f'<text x="{left}" y="{y0 + 20}" font-size="14" font-weight="bold">{esc(title)}</text>')
        n = len(vals)
        slot = (W - left - 20) / max(n, 1)
        bw = slot * 0.6
        if kind == "linear":
            vmax = max((v or 0) for _, v in vals) or 1
            base = 10 ** math.floor(math.log10(vmax))
            step = next(base * m for m in (0.1, 0.2, 0.5, 1, 2, 5, 10) if vmax / (base * m) <= 6)
            top = math.ceil(vmax / step) * step
            ticks = [k * step for k in range(int(top / step) + 1)]

            def y(v):
                return plot_bot - (v / top) * (plot_bot - plot_top)
            for t in ticks:
                o.append(f'<line x1="{left}" x2="{W - 20}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>')
                o.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t / 1000:g}k</text>')
            for k, (s, v) in enumerate(vals):
                x = left + k * slot + (slot - bw) / 2
                if v:
                    o.append(f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{bw:.1f}" height="{plot_bot - y(v):.1f}" '
                             f'fill="{COLORS.get(s, "#777")}"/>')
                    o.append(f'<text x="{x + bw / 2:.1f}" y="{y(v) - 4:.1f}" text-anchor="middle">{v / 1000:.1f}k</text>')
                o.append(f'<text x="{x + bw / 2:.1f}" y="{plot_bot + 16}" text-anchor="middle">{esc(s)}</text>')
        else:
            lo, hi = 0.01, max(timeout, 1000.0)

            def y(v):
                v = min(max(v, lo), hi)
                return plot_bot - (math.log10(v) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)) * (plot_bot - plot_top)
            t = lo
            while t <= hi * 1.0001:
                o.append(f'<line x1="{left}" x2="{W - 20}" y1="{y(t):.1f}" y2="{y(t):.1f}" stroke="#ddd"/>')
                o.append(f'<text x="{left - 6}" y="{y(t) + 4:.1f}" text-anchor="end">{t:g} ms</text>')
                t *= 10
            for k, (s, v, measured) in enumerate(vals):
                x = left + k * slot + (slot - bw) / 2
                if measured:
                    failed = v is None
                    h = hi if failed else v
                    o.append(f'<rect x="{x:.1f}" y="{y(h):.1f}" width="{bw:.1f}" height="{plot_bot - y(h):.1f}" '
                             f'fill="{COLORS.get(s, "#777")}"' + (' fill-opacity="0.35" stroke="black" '
                                                                   'stroke-dasharray="4,3"' if failed else '') + '/>')
                    label = f"≥ {timeout:g} (timeouts)" if failed else ms(v)
                    o.append(f'<text x="{x + bw / 2:.1f}" y="{y(h) - 4:.1f}" text-anchor="middle">{esc(label)}</text>')
                o.append(f'<text x="{x + bw / 2:.1f}" y="{plot_bot + 16}" text-anchor="middle">{esc(s)}</text>')
        o.append(f'<line x1="{left}" x2="{W - 20}" y1="{plot_bot}" y2="{plot_bot}" stroke="black"/>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


# ------------------------------------------------------------------------------------------ host-core subset

def hostcore_subset(raw, dest, env):
    """Copies the closed-loop berth-shared / nginx / nginx-reuseport data into DEST in the layout of
    bench/summarize.py (server berth-shared is called berth there). Returns False if incomplete."""
    rows = tsv(raw / "measurements.tsv")
    keep = {"berth-shared": "berth", "nginx": "nginx", "nginx-reuseport": "nginx-reuseport"}
    if not rows or not all(any(r["server"] == s for r in rows) for s in keep):
        return False
    (dest / "config").mkdir(parents=True, exist_ok=True)
    header = (raw / "measurements.tsv").read_text().splitlines()[0]
    lines = [header]
    for r in rows:
        if r["server"] not in keep:
            continue
        new_server = keep[r["server"]]
        new_name = r["name"].replace(f"-{r['server']}-", f"-{new_server}-")
        for suffix in (".wrk.txt", ".status-before.json", ".status-after.json"):
            if (raw / (r["name"] + suffix)).exists():
                shutil.copy(raw / (r["name"] + suffix), dest / (new_name + suffix))
        r = dict(r, server=new_server, name=new_name)
        lines.append("\t".join(r[k] for k in header.split("\t")))
    (dest / "measurements.tsv").write_text("\n".join(lines) + "\n")
    sizes = [(raw / "response-sizes.tsv").read_text().splitlines()[0]]
    for line in (raw / "response-sizes.tsv").read_text().splitlines()[1:]:
        s = line.split("\t")[0]
        if s in keep and keep[s] not in [x.split("\t")[0] for x in sizes]:
            sizes.append("\t".join([keep[s]] + line.split("\t")[1:]))
    (dest / "response-sizes.tsv").write_text("\n".join(sizes) + "\n")
    env_lines = [l for l in (raw / "env.txt").read_text().splitlines()]
    (dest / "env.txt").write_text("\n".join(env_lines) + "\n")
    cmds = [c for c in (raw / "commands.log").read_text().splitlines()
            if "openloop" not in c and "-tails/" not in c and ("berth-" not in c or "berth-shared-closed" in c)]
    (dest / "commands.log").write_text("\n".join(cmds) + "\n")
    if (raw / "config" / "berth-shared-closed.yaml").exists():
        shutil.copy(raw / "config" / "berth-shared-closed.yaml", dest / "config" / "berth.yaml")
    for s in ("nginx", "nginx-reuseport"):
        if (raw / "config" / f"{s}.conf").exists():
            shutil.copy(raw / "config" / f"{s}.conf", dest / "config" / f"{s}.conf")
    busy = []
    for line in (raw / "busy-starts.tsv").read_text().splitlines() if (raw / "busy-starts.tsv").exists() else []:
        label, pct = line.split("\t")
        m = re.fullmatch(r"round (\d+), (\S+)", label)
        if m and m.group(2) in keep:
            busy.append(f"{m.group(1)}\t{keep[m.group(2)]}\t{pct}")
    if busy:
        (dest / "busy-starts.tsv").write_text("\n".join(busy) + "\n")
    return True


def main(argv):
    if len(argv) >= 2 and argv[1] == "--raw":
        raw, out = Path(argv[2]), Path(argv[4] if len(argv) > 4 else ".")
        subset = False
    else:
        out = Path(argv[1])
        raw = out / "raw" / "strategies"
        subset = True
    env, servers, runs, openloop, faults, notes = load(raw)
    summary = summarize(env, servers, runs, openloop, faults)
    sizes = {}
    if (raw / "response-sizes.tsv").exists():
        for line in (raw / "response-sizes.tsv").read_text().splitlines()[1:]:
            s, ka, cl = line.split("\t")
            sizes[s] = {"keepalive": int(ka), "close": int(cl)}
    notes.append("berth's hang detection is judged on heartbeats that each event loop stamps every few ms; "
                 "the open-loop warm-up (instead of wrk) before the fault runs keeps the loops below "
                 "saturation, because a saturated loop on this 2-CPU machine was seen to miss heartbeats "
                 "for more than 1 s.")
    res = {"env": env, "servers": servers, "summary": summary, "runs": runs, "openloop": openloop,
           "faults": faults, "notes": notes, "response_bytes": sizes,
           "commands": (raw / "commands.log").read_text().splitlines() if (raw / "commands.log").exists() else [],
           "chart": "strategies.svg"}
    out.mkdir(parents=True, exist_ok=True)
    (out / "strategies.svg").write_text(svg_chart(res))
    (out / "strategies.json").write_text(json.dumps(finite({k: v for k, v in res.items() if k != "chart"}), indent=1) + "\n")
    (out / "strategies.md").write_text(render(res))
    if subset:
        hostcore_subset(raw, out / "raw", env)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
