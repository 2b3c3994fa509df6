"""Markdown summaries of a bench run, from the records bench/lib.sh writes in its output directory.

Usage: python3 bench/report.py all|compare|features OUTDIR

Records read (tab-separated, written by bench/lib.sh):
  versions.txt  what the run ran on (lib.sh versions)
  servers.tsv   name, kind, description
  rounds.tsv    kind (warmup|round), load, server, round, req/s, load average before, after, highest
                RSS (MiB) while it ran, raw file
  warmup.tsv    load, server, rounds, seconds, stable (yes|no), rates
  latency.tsv   load, server, max req/s, offered, achieved, p50, p99, p99.9 (ms), calls, load average
  startup.tsv   server, start, seconds to /q/health/ready, Quarkus "started in"
  startup-*.md  where the start-up time goes (bench/profile_summary.py startup)
  features.tsv  (feature-cost.sh) feature, server with it, server without it
Only ratios of figures of the same run are meaningful (bench/README.md).
"""
import collections
import glob
import os
import statistics
import sys

OUT = sys.argv[2] if len(sys.argv) > 2 else "."


def rows(name):
    path = os.path.join(OUT, name)
    if not os.path.exists(path):
        return []
    return [line.rstrip("\n").split("\t") for line in open(path) if line.strip() and not line.startswith("#")]


ROUNDS = rows("rounds.tsv")
SERVERS = {r[0]: (r[1], r[2]) for r in rows("servers.tsv")}
LOADS = list(dict.fromkeys(r[1] for r in ROUNDS if r[0] == "round"))
RATES = collections.defaultdict(list)
RSS = collections.defaultdict(list)
LOADAVG = []
PAIR_LOADAVG = collections.defaultdict(list)
for kind, load, server, rnd, rate, la0, la1, rss, *_ in ROUNDS:
    if kind == "round":
        RATES[(load, server)].append(float(rate))
        LOADAVG += [float(la0), float(la1)]
        PAIR_LOADAVG[(load, server)] += [float(la0), float(la1)]
    if rss not in ("-", ""):
        RSS[(load, server)].append(int(rss))
LATENCY = {(r[0], r[1]): r for r in rows("latency.tsv")}
STARTUP = collections.defaultdict(list)
QUARKUS = collections.defaultdict(list)
for server, _, wall, q in rows("startup.tsv"):
    STARTUP[server].append(float(wall))
    if q != "-":
        QUARKUS[server].append(float(q))


def med(xs):
    return statistics.median(xs) if xs else None


def rate(load, server):
    return med(RATES.get((load, server), []))


def fmt(x, digits=None):
    """x with `digits` decimals; by default none from 100 up, two below (a rate of 0.33 stays visible)."""
    if x is None:
        return "-"
    if digits is None:
        digits = 0 if abs(x) >= 100 else 2
    return f"{x:,.{digits}f}"


def ratio(a, b):
    return f"{a / b:.2f}" if a is not None and b else "-"


def table(header, body):
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for r in body:
        print("| " + " | ".join(str(c) for c in r) + " |")
    print()


def header(title):
    print(f"# {title}\n")
    if os.path.exists(os.path.join(OUT, "versions.txt")):
        for line in open(os.path.join(OUT, "versions.txt")):
            print(f"- {line.rstrip()}")
    if LOADAVG:
        print(f"- load average (1 min) before and after each measured round: {min(LOADAVG):.2f} to {max(LOADAVG):.2f} "
              "(the bench itself adds about 2: one busy server, one busy client)")
    print(f"- raw output: {OUT}\n")
    if SERVERS:
        print("## Servers\n")
        table(["server", "what"], [(f"`{k}`", v[1]) for k, v in SERVERS.items()])


def throughput(reference_servers):
    print("## Throughput\n")
    print("req/s per measured round and their median; every call checked (no failed call, gRPC DATA bytes "
          "exact); the last columns are the reference server's median over this server's.\n")
    body = []
    for load in LOADS:
        servers = [s for (l, s) in RATES if l == load]
        for s in servers:
            rs = RATES[(load, s)]
            la = PAIR_LOADAVG[(load, s)]
            cells = [load, f"`{s}`", "  ".join(fmt(x) for x in rs), fmt(med(rs))]
            cells += [ratio(rate(load, ref), med(rs)) for ref in reference_servers]
            cells.append(f"{min(la):.2f}-{max(la):.2f}")
            body.append(cells)
    table(["load", "server", "req/s per round", "median"] + [f"{r} / this" for r in reference_servers] + ["load avg"], body)


def latency_section():
    if not LATENCY:
        return
    print("## Latency at half of the maximum\n")
    print("Half of the server's median maximum of the same run offered by h2load's rate limiter (gRPC: 10 "
          "connections x 10 streams; REST: HTTP/1.1, 20 connections), every call logged.\n")
    table(["load", "server", "max req/s", "offered", "achieved", "p50 ms", "p99 ms", "p99.9 ms", "calls", "load avg"],
          [(r[0], f"`{r[1]}`", fmt(float(r[2])), r[3], r[4], r[5], r[6], r[7], r[8], r[9]) for r in LATENCY.values()])


def rss_section():
    if not RSS:
        return
    print("## Memory under load\n")
    print("Highest RSS (MiB) sampled every 0.5 s while the load was measured (warm-up and rounds), per load, "
          "with the JVM options of the versions list above.\n")
    servers = list(dict.fromkeys(s for (_, s) in RSS))
    loads = list(dict.fromkeys(l for (l, _) in RSS))
    table(["server"] + loads + ["highest"],
          [[f"`{s}`"] + [fmt(max(RSS[(l, s)])) if (l, s) in RSS else "-" for l in loads] +
           [fmt(max(max(v) for (l, x), v in RSS.items() if x == s))] for s in servers])


def startup_section():
    if not STARTUP:
        return
    print("## Start-up\n")
    print("Exec to the first UP of /q/health/ready (polled every 20 ms), pinned to one CPU, migrated database.\n")
    table(["server", "seconds per start", "median", "Quarkus \"started in\" (median)"],
          [(f"`{s}`", "  ".join(f"{x:.2f}" for x in v), f"{med(v):.2f}", fmt(med(QUARKUS[s]), 2)) for s, v in STARTUP.items()])
    for f in sorted(glob.glob(os.path.join(OUT, "startup-*.md"))):
        print("#" + open(f).read().replace("\n## ", "\n### ").replace("\n# ", "\n## "))
        print()


def warmup_section():
    w = rows("warmup.tsv")
    if not w:
        return
    print("## Warm-up\n")
    unstable = [r for r in w if r[4] != "yes"]
    print(f"{len(w) - len(unstable)} of {len(w)} pairs stable (two consecutive rounds within the tolerance)"
          + (f"; NOT stable: {', '.join(r[1] + '/' + r[0] for r in unstable)} (their figures may still be rising)" if unstable else "") + ".\n")
    table(["load", "server", "rounds", "seconds", "stable", "req/s per round"], [(r[0], f"`{r[1]}`", r[2], r[3], r[4], r[5]) for r in w])


def goal(rows_, name, figure, value, target, ok):
    rows_.append((name, figure, value, target, "-" if ok is None else ("**yes**" if ok else "**no**")))


def goals():
    g = []
    r = lambda a, b: (a / b) if a is not None and b else None
    t = lambda l: rate(l, "tandem")
    x = r(t("grpc-hello"), rate("grpc-hello", "grpc-java-hello"))
    goal(g, "1", "gRPC SayHello, Tandem / plain grpc-java", fmt(x, 2), ">= 0.8", None if x is None else x >= 0.8)
    for l in ("grpc-hello", "rest-hello", "grpc-user", "rest-user"):
        x = r(t(l), rate(l, "armeria"))
        goal(g, "2", f"{l}, Tandem / Armeria", fmt(x, 2), ">= 1.0", None if x is None else x >= 1.0)
    x = r(t("grpc-user"), rate("grpc-user", "grpc-java-jdbc"))
    goal(g, "3", "gRPC GetUserById, Tandem / grpc-java + pgjdbc", fmt(x, 2), ">= 0.6", None if x is None else x >= 0.6)
    x = r(t("grpc-user"), rate("grpc-user", "pgbench"))
    goal(g, "3", "(beside it) gRPC GetUserById, Tandem / pgbench on its SQL", fmt(x, 2), "-", None)
    for l in ("grpc-user", "rest-user"):
        p = LATENCY.get((l, "tandem"))
        x = float(p[6]) if p else None
        goal(g, "4", f"p99 at half load, {l}, ms", fmt(x, 2), "<= 5", None if x is None else x <= 5)
    rss = [max(v) for (l, s), v in RSS.items() if s == "tandem"]
    x = max(rss) if rss else None
    goal(g, "5", "RSS under load, MiB (the manifests' settings)", fmt(x), "<= 256", None if x is None else x <= 256)
    x = med(STARTUP.get("tandem", []))
    goal(g, "6", "start-up to /q/health/ready, s", fmt(x, 2), "<= 3", None if x is None else x <= 3)
    for l in LOADS:
        x = r(rate(l, "tandem-auth"), t(l))
        if x is not None:
            goal(g, "7", f"{l}: throughput auth on / off", fmt(x, 2), ">= 0.85", x >= 0.85)
    for l in ("grpc-user", "rest-user"):
        on, off = LATENCY.get((l, "tandem-auth")), LATENCY.get((l, "tandem"))
        if on and off:
            x = float(on[6]) / float(off[6])
            goal(g, "7", f"{l}: p99 auth on / off", fmt(x, 2), "<= 1.15", x <= 1.15)
    on, off = [max(v) for (l, s), v in RSS.items() if s == "tandem-auth"], rss
    if on and off:
        x = max(on) / max(off)
        goal(g, "7", "RSS auth on / off", fmt(x, 2), "<= 1.15", x <= 1.15)
    on, off = med(STARTUP.get("tandem-auth", [])), med(STARTUP.get("tandem", []))
    if on and off:
        goal(g, "7", "start-up auth on / off", fmt(on / off, 2), "<= 1.15", on / off <= 1.15)
    print("## Goals of issue 12\n")
    table(["goal", "figure", "measured", "target", "met"], g)


def main_all():
    header("Tandem against its peers (bench/all.sh)")
    goals()
    others = ["tandem"] + (["tandem-auth"] if any(s == "tandem-auth" for (_, s) in RATES) else [])
    throughput(others)
    latency_section()
    rss_section()
    startup_section()
    warmup_section()


def main_compare():
    header("HEAD against BASE (bench/compare.sh)")
    print("## HEAD / BASE\n")
    body = []
    for load in LOADS:
        for suffix in ("", "-auth"):
            h, b = rate(load, "head" + suffix), rate(load, "base" + suffix)
            if h is not None or b is not None:
                body.append((f"{load}{' (auth on)' if suffix else ''} req/s", fmt(h), fmt(b), ratio(h, b)))
    for (load, server), r in LATENCY.items():
        if server.startswith("head"):
            b = LATENCY.get((load, server.replace("head", "base", 1)))
            body.append((f"{load}{' (auth on)' if server.endswith('-auth') else ''} p99 ms at half load",
                         r[6], b[6] if b else "-", ratio(float(r[6]), float(b[6])) if b else "-"))
    for suffix in ("", "-auth"):
        hs = [max(v) for (l, s), v in RSS.items() if s == "head" + suffix]
        bs = [max(v) for (l, s), v in RSS.items() if s == "base" + suffix]
        if hs and bs:
            body.append((f"RSS under load, MiB{' (auth on)' if suffix else ''}", max(hs), max(bs), ratio(max(hs), max(bs))))
        h, b = med(STARTUP.get("head" + suffix, [])), med(STARTUP.get("base" + suffix, []))
        if h and b:
            body.append((f"start-up s{' (auth on)' if suffix else ''}", f"{h:.2f}", f"{b:.2f}", ratio(h, b)))
    table(["figure", "HEAD", "BASE", "HEAD / BASE"], body)
    throughput(["base"])
    latency_section()
    rss_section()
    startup_section()
    warmup_section()


def main_features():
    header("What each feature costs (bench/feature-cost.sh)")
    feats = rows("features.tsv")
    print("## Feature, throughput with, without, ratio\n")
    print("Each feature switched by configuration alone (bench/features.tsv), every configuration a Tandem of its "
          "own, all started at once, measured in the same interleaved rounds; medians in req/s. ratio = with / "
          "without: what is left of the throughput with the feature on (below 1: the feature costs).\n")
    body = []
    for name, with_s, without_s, *what in feats:
        for load in LOADS:
            w, wo = rate(load, with_s), rate(load, without_s)
            body.append((name, load, fmt(w), fmt(wo), ratio(w, wo), (what or [""])[0]))
    table(["feature", "load", "with", "without", "ratio", "what"], body)
    throughput(["default"])
    rss_section()
    warmup_section()


{"all": main_all, "compare": main_compare, "features": main_features}[sys.argv[1]]()
