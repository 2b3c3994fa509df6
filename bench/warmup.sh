#!/usr/bin/env bash
# bench/warmup.sh: how long a freshly started Tandem takes to reach its rate under load, and what
# its JIT compilers do meanwhile; writes target/bench/warmup/summary.md.
#
# For each configuration, one after the other (each server alone on CPU $SERVER_CPU, because the
# compiler threads' share of that CPU is what is measured): Tandem (the product jar, the manifests'
# JVM options, pinned from its start) is started, its time to /q/health/ready taken, and LOAD
# [grpc-user] run in WARMUP_CHUNKS [18] back-to-back chunks of WARMUP_CHUNK [10] seconds. Per chunk:
# the rate, the CPU seconds of the C1 and C2 compiler threads (/proc/PID/task/*/stat, utime+stime,
# threads named "C1 CompilerThre*" / "C2 CompilerThre*") and the RSS at its end. "Level" in the
# summary is the first chunk from which every later one is at least 90 % of the median of the last
# three; "C2 done" the end of the last chunk in which C2 used at least 0.5 s of CPU.
#
# Usage: bench/warmup.sh [CONFIG...]   CONFIG is NAME or NAME=OPTIONS: more JVM options after the
# manifests' (space separated; a token java=PATH runs that java binary instead). Default: default.
#   bench/warmup.sh default c1-only=-XX:TieredStopAtLevel=1 \
#     jdk25=java=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
# Environment: LOAD, WARMUP_CHUNKS, WARMUP_CHUNK, and bench/lib.sh's.
# Rates of configurations measured one after the other are not a ratio in one run: compare the
# shapes (when a server levels off, what its compilers spend), and bench/feature-cost.sh for rates.
source "$(dirname "$0")/lib.sh"
LOAD=${LOAD:-grpc-user}
WARMUP_CHUNKS=${WARMUP_CHUNKS:-18}
WARMUP_CHUNK=${WARMUP_CHUNK:-10}
bench_init warmup
build_product
database
proto_includes
load_table
[[ -n ${L_PROTO[$LOAD]:-} ]] || die "no load $LOAD in bench/loads.tsv"
request_files "$LOAD"
CONFIGS=("$@")
((${#CONFIGS[@]})) || CONFIGS=(default)
TICK=$(getconf CLK_TCK)

# compiler_ticks PID: "C1 C2" CPU ticks of the JIT compiler threads so far
compiler_ticks() {
  local t c1=0 c2=0 s
  for t in /proc/"$1"/task/*; do
    case $(cat "$t/comm" 2>/dev/null) in
      C1\ Compiler*) s=($(sed 's/.*) //' "$t/stat")); c1=$((c1 + s[11] + s[12])) ;;
      C2\ Compiler*) s=($(sed 's/.*) //' "$t/stat")); c2=$((c2 + s[11] + s[12])) ;;
    esac
  done
  echo "$c1 $c2"
}

# a first start migrates the scratch database (Flyway, demo data), so that every configuration's
# time to ready is a start on a migrated database, as a pod's restart is
tandem_server migrate "$PRODUCT_JAR"
stop_server migrate

printf 'config\tsecond\trate\tc1_cpu_s\tc2_cpu_s\trss_mib\n' >"$OUT/warmup.tsv"
: >"$OUT/configs.tsv"
for c in "${CONFIGS[@]}"; do
  name=${c%%=*} opts='' java=$JAVA
  [[ $c == *=* ]] && for o in ${c#*=}; do
    if [[ $o == java=* ]]; then java=${o#java=}; else opts+=" $o"; fi
  done
  t0=$(date +%s%N)
  JAVA=$java TANDEM_JVM_OPTS="$TANDEM_JVM_OPTS$opts" tandem_server "$name" "$PRODUCT_JAR"
  ready=$(awk -v a="$t0" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
  probe "$name" "$LOAD"
  printf '%s\t%s\t%s\t%s\n' "$name" "$ready" "$("$java" -version 2>&1 | head -1)" "${opts# }" >>"$OUT/configs.tsv"
  pid=${S_PID[$name]}
  read -r c1 c2 < <(compiler_ticks "$pid")
  for i in $(seq 1 "$WARMUP_CHUNKS"); do
    rate=$(run_load "$OUT/raw-$name-$i.txt" "$name" "$LOAD" "$WARMUP_CHUNK")
    read -r n1 n2 < <(compiler_ticks "$pid")
    printf '%s\t%d\t%s\t%s\t%s\t%s\n' "$name" $((i * WARMUP_CHUNK)) "$rate" \
      "$(ratio $((n1 - c1)) "$TICK")" "$(ratio $((n2 - c2)) "$TICK")" "$(rss_mib "$pid")" >>"$OUT/warmup.tsv"
    c1=$n1 c2=$n2
    echo "$name, $((i * WARMUP_CHUNK)) s: $rate req/s" >&2
  done
  stop_server "$name"
done

python3 - "$OUT" "$LOAD" "$WARMUP_CHUNK" >"$OUT/summary.md" <<'PY'
import csv, statistics, sys
out, load, chunk = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = list(csv.DictReader(open(f"{out}/warmup.tsv"), delimiter="\t"))
configs = [l.rstrip("\n").split("\t") for l in open(f"{out}/configs.tsv")]
print(f"# Warm-up under `{load}` (bench/warmup.sh), chunks of {chunk} s, one server at a time\n")
print("| config | JVM | extra options | ready (s) | level from (s) | level (req/s) | C2 CPU under load (s) | C2 done (s) | RSS at end (MiB) |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for name, ready, jvm, opts in configs:
    r = [x for x in rows if x["config"] == name]
    rates = [float(x["rate"]) for x in r]
    level = statistics.median(rates[-3:])
    start = next((int(r[i]["second"]) for i in range(len(r)) if all(v >= 0.9 * level for v in rates[i:])), "not level")
    c2 = sum(float(x["c2_cpu_s"]) for x in r)
    busy = [int(x["second"]) for x in r if float(x["c2_cpu_s"]) >= 0.5]
    done = (f"> {busy[-1]}" if busy[-1] == int(r[-1]["second"]) else str(busy[-1])) if busy else "0"
    print(f"| {name} | {jvm} | {opts or '-'} | {ready} | {start} | {level:,.0f} | {c2:.1f} | {done} | {r[-1]['rss_mib']} |")
print("\nPer chunk: rate (req/s) / C2 CPU seconds in the chunk\n")
names = [c[0] for c in configs]
print("| second | " + " | ".join(names) + " |")
print("| --- |" + " --- |" * len(names))
seconds = sorted({int(x["second"]) for x in rows})
for s in seconds:
    cells = []
    for n in names:
        x = next((x for x in rows if x["config"] == n and int(x["second"]) == s), None)
        cells.append(f"{float(x['rate']):,.0f} / {float(x['c2_cpu_s']):.1f}" if x else "")
    print(f"| {s} | " + " | ".join(cells) + " |")
PY
cat "$OUT/summary.md"
