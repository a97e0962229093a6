#!/usr/bin/env python3
"""Turns the raw output of bench/run (DIR/raw/) into DIR/host-core.md and DIR/host-core.json.

    python3 bench/summarize.py bench/work/runs/STAMP
    python3 bench/summarize.py --raw bench/results/raw --out /tmp/x   # re-render published results
"""
import json
import re
import statistics
import sys
from pathlib import Path

SERVERS = ["berth", "nginx", "nginx-reuseport"]
MODES = [("keepalive", "keep-alive"), ("close", "connection per request (`Connection: close`)")]
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}


def parse_duration_ms(text):
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m|h)", text.strip())
    if not m:
        raise ValueError(f"bad wrk duration {text!r}")
    return float(m.group(1)) * UNITS[m.group(2)]


def parse_wrk(path):
    text = path.read_text()
    r = {"file": path.name}
    m = re.search(r"^Requests/sec:\s+([\d.]+)", text, re.M)
    if not m:
        raise ValueError(f"{path}: no Requests/sec")
    r["rps"] = float(m.group(1))
    m = re.search(r"^\s*(\d+) requests in ([\d.]+\w+),", text, re.M)
    r["requests"] = int(m.group(1))
    r["elapsed_s"] = parse_duration_ms(m.group(2)) / 1e3
    r["latency_ms"] = {}
    for pct, val in re.findall(r"^\s+(50|75|90|99)%\s+(\S+)", text, re.M):
        r["latency_ms"]["p" + pct] = parse_duration_ms(val)
    m = re.search(r"^\s+Latency\s+(\S+)\s+(\S+)\s+(\S+)", text, re.M)
    if m:
        r["latency_ms"]["avg"] = parse_duration_ms(m.group(1))
        r["latency_ms"]["max"] = parse_duration_ms(m.group(3))
    errs = {"connect": 0, "read": 0, "write": 0, "timeout": 0, "non2xx": 0}
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    if m:
        errs.update(connect=int(m.group(1)), read=int(m.group(2)), write=int(m.group(3)),
                    timeout=int(m.group(4)))
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if m:
        errs["non2xx"] = int(m.group(1))
    r["errors"] = errs
    r["errors_total"] = sum(errs.values())
    return r


def parse_cpu(sample):
    out = {}
    for part in filter(None, sample.split(",")):
        pid, ticks = part.split(":")
        out[int(pid)] = int(ticks)
    return out


def parse_stat(line):
    v = [int(x) for x in line.split(",") if x]
    v += [0] * (10 - len(v))
    user, nice, system, idle, iowait, irq, softirq, steal = v[:8]
    return {"busy": user + nice + system + irq + softirq + steal, "idle": idle + iowait, "steal": steal}


def workers(status):
    return {w["id"]: w for p in status["pools"] for w in p["workers"]}


def fmt_int(x):
    return f"{x:,.0f}"


def fmt_k(x):
    return f"{x / 1000:.1f}k"


def median(xs):
    return statistics.median(xs) if xs else float("nan")


def main(argv):
    if len(argv) >= 2 and argv[1] == "--raw":
        raw, out = Path(argv[2]), Path(argv[4] if len(argv) > 4 else ".")
    else:
        out = Path(argv[1])
        raw = out / "raw"
    env = {}
    for line in (raw / "env.txt").read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    tck = int(env.get("clk_tck", "100"))
    sizes = {}
    lines = (raw / "response-sizes.tsv").read_text().splitlines()
    for line in lines[1:]:
        s, ka, cl = line.split("\t")
        sizes[s] = {"keepalive": int(ka), "close": int(cl)}
    commands = (raw / "commands.log").read_text().splitlines()

    busy_starts = []
    if (raw / "busy-starts.tsv").exists():
        for line in (raw / "busy-starts.tsv").read_text().splitlines():
            rnd, srv, pct = line.split("\t")
            busy_starts.append(f"round {rnd}, {srv}: started although other processes used {pct} % of a CPU "
                               f"(waited {env.get('quiet_wait')} s for less than {env.get('quiet_pct')} %)")
    rows = (raw / "measurements.tsv").read_text().splitlines()
    header = rows[0].split("\t")
    runs = []
    notes = list(busy_starts)
    for line in rows[1:]:
        rec = dict(zip(header, line.split("\t")))
        run = {"round": int(rec["round"]), "order": int(rec["order"]), "server": rec["server"],
               "mode": rec["mode"], "name": rec["name"], "start_utc": rec["start_utc"]}
        run.update(parse_wrk(raw / f"{rec['name']}.wrk.txt"))
        before, after = parse_cpu(rec["cpu_before"]), parse_cpu(rec["cpu_after"])
        lost = sorted(set(before) - set(after))
        if lost:
            notes.append(f"{run['name']}: pid(s) {lost} exited during the measurement; their CPU is missing")
        run["server_pids"] = sorted(after)
        run["server_cpu_s"] = sum(after[p] - before.get(p, 0) for p in after) / tck
        run["server_cpu_us_per_req"] = run["server_cpu_s"] * 1e6 / run["requests"] if run["requests"] else None
        run["wrk_cpu_s"] = float(rec["wrk_user_s"]) + float(rec["wrk_sys_s"])
        sb, sa = parse_stat(rec["stat_before"]), parse_stat(rec["stat_after"])
        busy = (sa["busy"] - sb["busy"]) / tck
        total = busy + (sa["idle"] - sb["idle"]) / tck
        run["machine"] = {
            "cpu_s_available": round(total, 2),
            "cpu_s_busy": round(busy, 2),
            "cpu_s_steal": round((sa["steal"] - sb["steal"]) / tck, 2),
            "cpu_s_other": round(busy - run["server_cpu_s"] - run["wrk_cpu_s"], 2),
            "loadavg_before": rec["load_before"].replace(",", " "),
        }
        if run["server"] == "berth":
            st_b = json.loads((raw / f"{rec['name']}.status-before.json").read_text())
            st_a = json.loads((raw / f"{rec['name']}.status-after.json").read_text())
            wb, wa = workers(st_b), workers(st_a)
            per = {}
            for wid, w in sorted(wa.items()):
                b = wb.get(wid)
                same = b is not None and b["pid"] == w["pid"]
                if not same:
                    notes.append(f"{run['name']}: worker {wid} was replaced during the measurement "
                                 f"(pid {b['pid'] if b else '-'} -> {w['pid']})")
                per[str(wid)] = {
                    "pid": w["pid"],
                    "accepted": w["accepted"] - (b["accepted"] if same else 0),
                    "served": w["served"] - (b["served"] if same else 0),
                }
            acc = [v["accepted"] for v in per.values()]
            srv = [v["served"] for v in per.values()]
            run["berth"] = {
                "workers": per,
                "accepted_max_min": (max(acc) / min(acc)) if acc and min(acc) > 0 else None,
                "served_max_min": (max(srv) / min(srv)) if srv and min(srv) > 0 else None,
                "restarts_before": sum(p.get("restarts", 0) for p in st_b["pools"]),
                "restarts_after": sum(p.get("restarts", 0) for p in st_a["pools"]),
            }
            if run["berth"]["restarts_after"] != run["berth"]["restarts_before"]:
                notes.append(f"{run['name']}: pool restarts went {run['berth']['restarts_before']} -> "
                             f"{run['berth']['restarts_after']}")
        if run["machine"]["cpu_s_other"] > 0.1 * total:
            notes.append(f"{run['name']}: other processes used {run['machine']['cpu_s_other']:.1f} of "
                         f"{total:.1f} CPU-s during the measurement (shared machine); treat it with care")
        if run["errors_total"]:
            notes.append(f"{run['name']}: wrk reported errors {run['errors']}")
        runs.append(run)

    summary = {}
    for mode, _ in MODES:
        summary[mode] = {}
        for s in SERVERS:
            rs = sorted((r for r in runs if r["server"] == s and r["mode"] == mode), key=lambda r: r["round"])
            if not rs:
                continue
            summary[mode][s] = {
                "runs": len(rs),
                "rps_median": median([r["rps"] for r in rs]),
                "p50_ms_median": median([r["latency_ms"]["p50"] for r in rs]),
                "p99_ms_median": median([r["latency_ms"]["p99"] for r in rs]),
                "errors_total": sum(r["errors_total"] for r in rs),
                "server_cpu_us_per_req_median": median([r["server_cpu_us_per_req"] for r in rs]),
                "wrk_cpu_us_per_req_median": median([r["wrk_cpu_s"] * 1e6 / r["requests"] for r in rs]),
                "rps_per_run": [r["rps"] for r in rs],
            }
        for s, d in summary[mode].items():
            for peer in ("nginx", "nginx-reuseport"):
                if peer in summary[mode]:
                    d["ratio_vs_" + peer] = d["rps_median"] / summary[mode][peer]["rps_median"]
                    d["cpu_ratio_vs_" + peer] = (d["server_cpu_us_per_req_median"]
                                                 / summary[mode][peer]["server_cpu_us_per_req_median"])
                    paired = []
                    for r in (x for x in runs if x["server"] == s and x["mode"] == mode):
                        p = [x for x in runs if x["server"] == peer and x["mode"] == mode and x["round"] == r["round"]]
                        if p:
                            paired.append(r["rps"] / p[0]["rps"])
                    d["paired_ratio_per_round_vs_" + peer] = paired

    result = {"env": env, "response_bytes": sizes, "commands": commands, "summary": summary,
              "runs": runs, "notes": notes}
    out.mkdir(parents=True, exist_ok=True)
    (out / "host-core.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / "host-core.md").write_text(render(result))
    return 0


def first_of_each(commands, strip, *rewrites):
    """The first command of each kind: commands are alike when they differ only in ports, in what the
    regex `strip` matches, and in what the (pattern, replacement) `rewrites` change afterwards."""
    seen, out = set(), []
    for c in commands:
        key = re.sub(r"\d{4,5}|" + strip, "", c)
        for pattern, repl in rewrites:
            key = re.sub(pattern, repl, key)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def render(res):
    env, summary, runs = res["env"], res["summary"], res["runs"]
    L = []
    a = L.append
    a("# berth host core vs nginx (loopback, wrk)")
    a("")
    a(f"Generated by `bench/run` ({env.get('rounds')} rounds, {env.get('duration')} s per measurement). "
      f"Started {env.get('date_utc')}, ended {env.get('date_end_utc', '?')}.")
    a("Every figure compares servers measured in the same run on the same machine. The load generator "
      "shares the CPUs with the server, so req/s measures server + wrk together; "
      "**server CPU µs/req is the better measure of the server's own cost.**")
    a("")
    a("## Machine and software")
    a("")
    a(f"- nproc {env.get('nproc')} ({env.get('cpu_model')}), {env.get('mem_total')} RAM, kernel `{env.get('kernel')}`, {env.get('os')}")
    a(f"- java: `{env.get('java', '').replace('|', ' / ')}`")
    a(f"- nginx: `{env.get('nginx')}`; wrk: `{env.get('wrk')}`")
    a(f"- berth: `{env.get('berth_version')}`, git {env.get('berth_git')}, jar sha256 {env.get('berth_jar_sha256')}…"
      + (f", worker JVM options `{env['berth_jvm_options']}`" if env.get("berth_jvm_options") else ", default worker JVM options"))
    sysctls = ", ".join(f"{k[7:]}={v}" for k, v in env.items() if k.startswith("sysctl_"))
    a(f"- sysctls: {sysctls}")
    a(f"- load average at start {env.get('loadavg_start')}, at end {env.get('loadavg_end', '?')}")
    a("")
    a("## What was run")
    a("")
    a("- **berth**: one pool, `workers: 2`, `threads: 1`, `accept: shared`, `drain-timeout: 2s`, one "
      "`kind: http` service with `response: \"hello\\n\"` on `127.0.0.1:0` (port read from "
      "`berth status --json`). Config: `raw/config/berth.yaml`. berth runs from a private copy of "
      "`dist/target/berth.jar` (`BERTH_JAR`), so rebuilds during the run cannot affect it.")
    a("- **nginx**: `worker_processes 2`, `worker_connections 4096`, `access_log off`, `keepalive_timeout 65`, "
      "`keepalive_requests 1000000`, `listen 127.0.0.1:PORT backlog=4096` (the reuseport variant adds "
      "`reuseport`), `location / { return 200 \"hello\\n\"; }`, `daemon off`. Configs: `raw/config/nginx*.conf`.")
    a(f"- Each round starts each server fresh, warms it up (wrk {env.get('warmup_ka')} s keep-alive + "
      f"{env.get('warmup_close')} s `Connection: close`), measures keep-alive then connection-per-request, "
      "and stops it with SIGTERM. The order of servers rotates every round.")
    a("- Server CPU = utime+stime from `/proc/PID/stat` of the master and every worker, sampled just "
      "before and after each measurement. p50/p99 are medians of each run's wrk `--latency` percentiles. "
      "Errors = wrk socket errors (connect+read+write+timeout) + non-2xx, summed over all runs.")
    a("")
    a("Exact commands (ports and paths of the first round; all of them are in `raw/commands.log`):")
    a("")
    a("```")
    for c in first_of_each(res["commands"], r"/runs/\S+?/"):
        a(c)
    a("```")
    a("")
    a("Response sizes (`curl -si URL | wc -c`, headers + body):")
    a("")
    a("| server | keep-alive bytes | with `Connection: close` bytes |")
    a("|---|---:|---:|")
    for s, v in res["response_bytes"].items():
        a(f"| {s} | {v['keepalive']} | {v['close']} |")
    a("")
    a("nginx adds `Server` and `Date` headers; berth sends `server`, `content-type`, `content-length` and `date`.")
    a("")
    for mode, title in MODES:
        if not summary.get(mode):
            continue
        a(f"## {title[0].upper() + title[1:]}")
        a("")
        a("| server | req/s median | p50 ms | p99 ms | errors | server CPU µs/req | ÷ nginx | ÷ nginx-reuseport | per-run req/s |")
        a("|---|---:|---:|---:|---:|---:|---:|---:|---|")
        for s in SERVERS:
            d = summary[mode].get(s)
            if not d:
                continue
            a(f"| {s} | {fmt_int(d['rps_median'])} | {d['p50_ms_median']:.2f} | {d['p99_ms_median']:.2f} | "
              f"{d['errors_total']} | {d['server_cpu_us_per_req_median']:.1f} | "
              f"{d.get('ratio_vs_nginx', float('nan')):.2f} | {d.get('ratio_vs_nginx-reuseport', float('nan')):.2f} | "
              f"{', '.join(fmt_k(x) for x in d['rps_per_run'])} |")
        a("")
        b = summary[mode].get("berth")
        if b and "ratio_vs_nginx" in b:
            a(f"berth per round, ÷ nginx: {', '.join(f'{x:.2f}' for x in b['paired_ratio_per_round_vs_nginx'])}; "
              f"÷ nginx-reuseport: {', '.join(f'{x:.2f}' for x in b['paired_ratio_per_round_vs_nginx-reuseport'])}. "
              f"Server CPU per request ÷ nginx: {b['cpu_ratio_vs_nginx']:.2f}, "
              f"÷ nginx-reuseport: {b['cpu_ratio_vs_nginx-reuseport']:.2f}.")
            a("")
    a("## berth balance (per-worker deltas during each measurement)")
    a("")
    a("`accepted` counts connections, `served` counts requests. In keep-alive mode wrk opens only "
      f"{env.get('connections')} connections, so `served` shows the load split better there. "
      "Before it starts, wrk opens and closes one probe connection without a request (`wrk.resolve` "
      "calls `wrk.connect` on every address). So a keep-alive run shows "
      f"{env.get('connections')} + 1 accepts, and the worker that took the probe has one accept with no request.")
    a("")
    a("| round | mode | accepted per worker | accepted max/min | served per worker | served max/min |")
    a("|---:|---|---|---:|---|---:|")
    for r in sorted((r for r in runs if r["server"] == "berth"), key=lambda r: (r["mode"] != "keepalive", r["round"])):
        w = r["berth"]["workers"]
        acc = ", ".join(f"w{k}: {fmt_int(v['accepted'])}" for k, v in w.items())
        srv = ", ".join(f"w{k}: {fmt_int(v['served'])}" for k, v in w.items())
        am = r["berth"]["accepted_max_min"]
        sm = r["berth"]["served_max_min"]
        am = f"{am:.2f}" if am else "∞"
        sm = f"{sm:.2f}" if sm else "∞ (one worker served everything)"
        a(f"| {r['round']} | {r['mode']} | {acc} | {am} | {srv} | {sm} |")
    a("")
    a("## CPU use during each measurement")
    a("")
    a("CPU seconds over the measurement window: server, wrk, everything else on the machine (other "
      "tenants, the kernel outside these processes), and steal; `available` = CPUs × seconds.")
    a("")
    a("| run | req/s | server CPU s | wrk CPU s | other CPU s | steal s | available s |")
    a("|---|---:|---:|---:|---:|---:|---:|")
    for r in runs:
        m = r["machine"]
        a(f"| {r['name']} | {fmt_int(r['rps'])} | {r['server_cpu_s']:.2f} | {r['wrk_cpu_s']:.2f} | "
          f"{m['cpu_s_other']:.2f} | {m['cpu_s_steal']:.2f} | {m['cpu_s_available']:.1f} |")
    a("")
    a("## Notes")
    a("")
    if res["notes"]:
        for n in res["notes"]:
            a(f"- {n}")
    else:
        a("- No wrk errors, no worker replaced, no server process lost during any measurement.")
    a("- Raw wrk output: `raw/*.wrk.txt`; berth status before/after each measurement: `raw/*.status-*.json`; "
      "CPU samples: `raw/measurements.tsv`; machine-readable summary: `host-core.json`.")
    a("")
    return "\n".join(L)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
