#!/usr/bin/env python3
"""bench/mesh-report.py RAW OUT: turns bench/mesh's RAW/measurements.txt and env.txt into
OUT/mesh.md and OUT/mesh.json, with every goal of issue 10 item 8 judged against the yardsticks
measured in the same run."""
import json
import os
import sys

raw, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
lines = open(os.path.join(raw, "measurements.txt")).read().splitlines()
env = open(os.path.join(raw, "env.txt")).read().splitlines()


def percentiles(words):
    return dict(zip(["p50", "p90", "p99", "p999"], [int(w) for w in words]))


m = {}
threads = []
for line in lines:
    words = line.split()
    if words[0] == "thread":
        threads.append({"name": words[1], "cpu_pct": float(words[2]), "switches_per_s": float(words[3])})
    elif words[0] in ("idle", "memory"):
        m[words[0]] = {k: float(v) for k, v in (w.split("=") for w in words[1:])}
    elif words[0] == "calls":
        m["calls"] = {"per_second": float(words[1]), "proxy_cores": float(words[2])}
    else:
        m[words[0]] = percentiles(words[1:])


def us(ns):
    return f"{ns / 1000:.1f}"


hop_added = m["mesh"]["p50"] - m["tcp"]["p50"]
per_core = m["calls"]["per_second"] / max(m["calls"]["proxy_cores"], 1e-9)
slot_kib = m["memory"]["slot_bytes"] / 1024
ratio = m["slot_busy"]["p50"] / m["aeron_busy"]["p50"]
goals = [
    ("slot round trip p50 ≤ 2× Aeron IPC's", f"{m['slot_busy']['p50']} ns vs {m['aeron_busy']['p50']} ns = {ratio:.2f}×",
     ratio <= 2),
    ("idle CPU of a quiet proxy ≤ 0.5 % of a core", f"{m['idle']['proxy']:.2f} %", m["idle"]["proxy"] <= 0.5),
    ("added latency of a hop ≤ 50 µs p50", f"{us(hop_added)} µs (mesh {us(m['mesh']['p50'])} − TCP {us(m['tcp']['p50'])})",
     hop_added <= 50_000),
    ("≥ 100k calls/s per proxy core", f"{per_core / 1000:.0f}k ({m['calls']['per_second']:.0f} calls/s on "
     f"{m['calls']['proxy_cores']:.2f} proxy cores)", per_core >= 100_000),
    ("≤ 1 MiB per slot", f"{slot_kib:.0f} KiB", slot_kib <= 1024),
]

md = ["# bench/mesh: the mesh against Aeron IPC and TCP", "",
      "`quietslot bench/mesh` on " + ", ".join(env[:4]) + f" ({env[4]}). Every figure below was measured in this "
      "one run, so each ratio compares figures taken minutes apart on the same machine. Percentiles in microseconds (p50 / p90 / p99 / p99.9).", "",
      "## Goals (issue 10, item 8)", "", "| goal | measured | met |", "|---|---|---|"]
md += [f"| {g} | {v} | {'yes' if ok else '**no**'} |" for g, v, ok in goals]
md += ["", "## Round trips between two processes, 32 bytes", "",
       "| path | p50 | p90 | p99 | p99.9 |", "|---|---|---|---|---|"]
rows = [("slot (spin, then futex)", "slot_busy"), ("Aeron IPC, busy-spin pong", "aeron_busy"), ("loopback TCP", "tcp_busy"),
        ("slot, 1 ms apart (wake-up from idle)", "slot_wake"), ("Aeron IPC, 1 ms apart, back-off pong", "aeron_wake"),
        ("loopback TCP, 1 ms apart", "tcp_wake"),
        ("mesh call a → b → a (slot, proxy, HTTP/2, proxy, slot; each call made in the last one's callback)", "mesh"), ("direct TCP echo, same machine", "tcp")]
for name, key in rows:
    p = m[key]
    md.append(f"| {name} | {us(p['p50'])} | {us(p['p90'])} | {us(p['p99'])} | {us(p['p999'])} |")
md += ["", "## Idle CPU (% of one core)", "", "| process | idle CPU |", "|---|---|"]
for name, key in [("berth mesh proxy, linked to one peer, one worker attached", "proxy"),
                  ("berth worker attached to the mesh, idle", "worker"),
                  ("Aeron pong, busy spin", "aeron_pong_spin"), ("Aeron pong, back-off", "aeron_pong_backoff"),
                  ("Aeron media driver (SHARED, back-off)", "aeron_driver")]:
    md.append(f"| {name} | {m['idle'][key]:.2f} % |")
if threads:
    md += ["", "Where the quiet proxy's CPU goes, per thread over the same window (CPU from `/proc/PID/task/TID/schedstat`, "
           "context switches from `status`; a wake-up costs 0.15-0.5 ms of CPU on this VM):", "",
           "| thread | % of a core | context switches/s |", "|---|---|---|"]
    md += [f"| {t['name']} | {t['cpu_pct']:.3f} | {t['switches_per_s']:.1f} |" for t in threads]
md += ["", "## Memory", "",
       f"- slot file: {m['memory']['slot_bytes']:.0f} bytes per slot at the default `slot-size: 256k` "
       "(1 KiB of control lines, two 128 KiB rings); only the pages touched are resident;",
       f"- resident size of the quiet proxy JVM: {m['memory']['proxy_rss_kib'] / 1024:.0f} MiB;",
       "- Aeron's default IPC term is 64 MiB, three terms per publication: 192 MiB per direction.", ""]
open(os.path.join(out, "mesh.md"), "w").write("\n".join(md))
json.dump({"env": env, "measurements": m, "proxy_threads": threads, "goals": [{"goal": g, "measured": v, "met": ok} for g, v, ok in goals]},
          open(os.path.join(out, "mesh.json"), "w"), indent=2)
