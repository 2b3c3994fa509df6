#!/usr/bin/env bash
# bench/transcoding-cost.sh: what REST/JSON transcoding costs, measured in one run
# on one server: REST `GET /v1/greeter/World` against gRPC `Greeter/SayHello`,
# and REST `GET /v1/users/1` against gRPC `UserService/GetUserById{id:1}`.
#
# From a clean clone it:
#   1. installs wrk, h2load (nghttp2-client), protoc (protobuf-compiler) and xxd
#      from Debian's packages when missing (needs root then);
#   2. builds target/quarkus-app/quarkus-run.jar when missing or older than the
#      sources (`./mvnw -B -q -DskipTests package`);
#   3. gives Tandem a database: a scratch database on the system PostgreSQL
#      (127.0.0.1:5432, role postgres, trust), created now and dropped at exit;
#      when that server is not reachable, the embedded cluster of
#      bin/embedded-postgres (left running, as bin/run leaves it);
#   4. starts the jar in the prod profile with the demo data on, on a free
#      loopback port, pinned to CPU $SERVER_CPU with taskset;
#   5. checks each call once: REST bodies with curl; gRPC with curl over h2c
#      (grpc-status 0, response decoded with protoc), which also gives the
#      exact size of each gRPC response frame;
#   6. warms up: every load for $WARMUP s;
#   7. measures $ROUNDS rounds, each running the four loads one after another
#      for $DURATION s, clients pinned to CPU $CLIENT_CPU: REST with
#      `wrk -t1 -c50`, gRPC with `h2load -t1 -c2 -m25` (50 requests in flight
#      either way);
#   8. checks that no call failed: wrk's "Non-2xx or 3xx responses" must be
#      absent; h2load must report 0 failed/errored and only 2xx, and since a
#      gRPC error is still HTTP 200, a final `h2load -n $VERIFY_N` run per RPC
#      must receive exactly VERIFY_N x (frame size) DATA bytes (an error
#      carries no DATA frame);
#   9. prints, per round and as medians, req/s and requests per CPU-second
#      the server process used (from /proc: robust when another process
#      shares the server's CPU, since it counts only the server's own time),
#      and the REST/gRPC ratios of both; and
#      writes everything to target/bench/: raw tool output, and per
#      measurement how busy each CPU was and how much CPU time other
#      processes (another build, say) took (machine.log).
#
# Usage: bench/transcoding-cost.sh
# Environment (defaults in brackets):
#   DURATION [10]  seconds per measurement      WARMUP [30]  seconds of warm-up per load
#   ROUNDS [5]     measurement rounds           VERIFY_N [20000] requests per gRPC byte check
#   SERVER_CPU [1], CLIENT_CPU [0]              JAVA_HOME  JDK to build and run with
#   BENCH_JVM_OPTS  extra JVM options for the server (none by default)
# Exit codes: 0 measured and every check passed; 1 a step or a check failed.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/target/bench
JAR=target/quarkus-app/quarkus-run.jar
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-30}
ROUNDS=${ROUNDS:-5}
VERIFY_N=${VERIFY_N:-20000}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/}jar

die() { echo "bench: $*" >&2; exit 1; }
log() { printf '\n== %s\n' "$*"; }

# --- 1. tools ------------------------------------------------------------------
missing=()
for p in wrk nghttp2-client protobuf-compiler xxd; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  [[ $(id -u) == 0 ]] || die "run as root, or install: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
command -v taskset >/dev/null || die "taskset (util-linux) is missing"
(($(nproc) > SERVER_CPU && $(nproc) > CLIENT_CPU)) || die "needs CPUs $SERVER_CPU and $CLIENT_CPU; this machine has $(nproc)"

rm -rf "$OUT" && mkdir -p "$OUT"

# --- 2. build --------------------------------------------------------------------
if [[ ! -f $JAR || -n $(find pom.xml src/main .mvn/wrapper -newer "$JAR" -print -quit 2>/dev/null) ]]; then
  log "building $JAR"
  ./mvnw -B -q -DskipTests package
fi
[[ -f $JAR ]] || die "no $JAR after the build"

# --- 3. database -------------------------------------------------------------------
SERVER_PID= DB_NAME=
cleanup() {
  if [[ -n $SERVER_PID ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [[ -n $DB_NAME ]]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
if psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  DB_NAME=tandem_bench_$$
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB_NAME" >/dev/null
  export QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB_NAME QUARKUS_DATASOURCE_USERNAME=postgres
  db_where="scratch database $DB_NAME on 127.0.0.1:5432 (dropped at exit)"
else
  QUARKUS_DATASOURCE_JDBC_URL=$(bin/embedded-postgres start) || die "no PostgreSQL on 5432 and bin/embedded-postgres failed"
  export QUARKUS_DATASOURCE_JDBC_URL QUARKUS_DATASOURCE_USERNAME=tandem
  db_where="embedded cluster $QUARKUS_DATASOURCE_JDBC_URL (bin/embedded-postgres; still running)"
fi

# --- 4. server ---------------------------------------------------------------------
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE=http://127.0.0.1:$PORT
log "starting Tandem on $BASE, pinned to CPU $SERVER_CPU ($db_where)"
# shellcheck disable=SC2086
QUARKUS_PROFILE=prod QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_HTTP_PORT=$PORT TANDEM_DEMO_DATA_ENABLED=true \
  taskset -c "$SERVER_CPU" "$JAVA" ${BENCH_JVM_OPTS:-} -jar "$JAR" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 120); do
  curl -fs "$BASE/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVER_PID" 2>/dev/null || { tail -30 "$OUT/server.log" >&2; die "the server exited"; }
  sleep 0.5
done
curl -fs "$BASE/q/health/ready" >/dev/null || die "the server is not ready; see $OUT/server.log"

# --- 5. one checked call of each kind -----------------------------------------------
log "checking each call once"
INC=$OUT/proto-include
mkdir -p "$INC"
for j in target/quarkus-app/lib/main/com.google.api.grpc.proto-google-common-protos-*.jar \
         target/quarkus-app/lib/main/com.google.protobuf.protobuf-java-[0-9]*.jar; do
  (cd "$INC" && "$JAR_TOOL" xf "$ROOT/$j" google/api google/protobuf)
done
PROTOC=(protoc -Isrc/main/proto -I"$INC")

[[ $(curl -fs "$BASE/v1/greeter/World") == '{"message":"Hello World"}' ]] || die "REST greeter answered: $(curl -s "$BASE/v1/greeter/World")"
curl -fs "$BASE/v1/users/1" | grep -q '"id":"1"\|"id":1' || die "REST user 1 answered: $(curl -s "$BASE/v1/users/1")"
echo "REST: GET /v1/greeter/World and GET /v1/users/1 answer 200 with the expected bodies"

# frame NAME TYPE PROTO TEXT: a gRPC length-prefixed request frame in $OUT/NAME.grpc
frame() {
  "${PROTOC[@]}" --encode="$2" "$3" <<<"$4" >"$OUT/$1.bin"
  { printf '\x00'; printf '%08x' "$(stat -c%s "$OUT/$1.bin")" | xxd -r -p; cat "$OUT/$1.bin"; } >"$OUT/$1.grpc"
}
frame hello helloworld.HelloRequest helloworld/helloworld.proto 'name: "World"'
frame user user.v1.GetUserRequest user/v1/user.proto 'id: 1'

# grpc_check NAME PATH RESPONSE_TYPE PROTO: one call over h2c; sets FRAME_<NAME> to the response frame size
grpc_check() {
  curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$OUT/$1.grpc" -D "$OUT/$1.headers" -o "$OUT/$1.response" "$BASE$2"
  grep -qi '^grpc-status: *0' "$OUT/$1.headers" || die "$2 did not answer grpc-status 0: $(cat "$OUT/$1.headers")"
  local size
  size=$(stat -c%s "$OUT/$1.response")
  tail -c +6 "$OUT/$1.response" | "${PROTOC[@]}" --decode="$3" "$4" >"$OUT/$1.decoded" || die "cannot decode the $2 response"
  printf -v "FRAME_$1" '%s' "$size"
  echo "gRPC: $2 answers grpc-status 0, a $size-byte frame: $(tr '\n' ' ' <"$OUT/$1.decoded" | cut -c1-100)"
}
grpc_check hello /helloworld.Greeter/SayHello helloworld.HelloReply helloworld/helloworld.proto
grpc_check user /user.v1.UserService/GetUserById user.v1.GetUserResponse user/v1/user.proto

# --- 6./7. loads ---------------------------------------------------------------------
# load KIND SECONDS FILE: runs one load on CPU $CLIENT_CPU, output in FILE
load() {
  local kind=$1 secs=$2 file=$3
  case $kind in
    rest-greeter) taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"${secs}s" --latency "$BASE/v1/greeter/World" ;;
    rest-user) taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"${secs}s" --latency "$BASE/v1/users/1" ;;
    grpc-greeter | grpc-user)
      local name=${kind#grpc-} path
      [[ $name == greeter ]] && { name=hello; path=/helloworld.Greeter/SayHello; } || path=/user.v1.UserService/GetUserById
      taskset -c "$CLIENT_CPU" h2load -t1 -c2 -m25 -D"$secs" -H 'content-type: application/grpc' -H 'te: trailers' \
        -d "$OUT/$name.grpc" "$BASE$path" ;;
  esac >"$file" 2>&1
}
# rate FILE: requests per second from wrk or h2load output
rate() { sed -n -e 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' -e 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' "$1"; }
# count FILE: requests completed, from wrk or h2load output
count() { sed -n -e 's/^ *\([0-9]*\) requests in .*/\1/p' -e 's/^requests: .* \([0-9]*\) succeeded,.*/\1/p' "$1"; }
# check FILE [warmup]: no failed call in one measurement (in a warm-up, wrk's
# socket timeouts of the cold JVM are tolerated; error responses are not)
check() {
  local f=$1 bad='Non-2xx or 3xx responses\|Socket errors'
  [[ ${2:-} == warmup ]] && bad='Non-2xx or 3xx responses'
  if grep -q '^Requests/sec' "$f"; then
    ! grep -q "$bad" "$f" || die "errors in $f: $(grep "$bad" "$f")"
  else
    grep -q ' 0 failed, 0 errored' "$f" || die "failed requests in $f: $(grep '^requests:' "$f")"
    grep -q 'status codes: [0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx' "$f" || die "non-2xx in $f: $(grep '^status codes' "$f")"
  fi
}
# cpu_sample FILE: per-CPU and per-process CPU time now, from /proc
cpu_sample() {
  python3 - "$1" <<'PY'
import json, os, sys
d = {"cpus": {}, "procs": {}}
for line in open("/proc/stat"):
    f = line.split()
    if f[0].startswith("cpu") and f[0] != "cpu":
        v = list(map(int, f[1:]))
        d["cpus"][f[0]] = [sum(v), v[3] + v[4]]
for p in filter(str.isdigit, os.listdir("/proc")):
    try:
        s = open(f"/proc/{p}/stat").read()
        r = s[s.rindex(")") + 2:].split()
        cmd = open(f"/proc/{p}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace")
        d["procs"][p] = [int(r[11]) + int(r[12]), cmd[:200]]
    except (OSError, ValueError):
        pass
json.dump(d, open(sys.argv[1], "w"))
PY
}
# child_secs FILE: user+sys seconds of this shell's finished children, from `times` output
child_secs() { sed -n 2p "$1" | awk '{ for (i = 1; i <= 2; i++) { split($i, t, /[ms]/); s += t[1] * 60 + t[2] } } END { print s }'; }
# cpu_report BEFORE AFTER LABEL CLIENT_SECS SERVER_FILE: how busy each CPU was,
# and CPU-seconds of the server (also written to SERVER_FILE), the load client,
# PostgreSQL and everything else ("others", named)
cpu_report() {
  python3 - "$1" "$2" "$3" "$SERVER_PID" "$(awk "BEGIN { print $4 }")" "$5" <<'PY'
import json, os, sys
a, b = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
hz, server = os.sysconf("SC_CLK_TCK"), sys.argv[4]
busy = []
for c in sorted(b["cpus"]):
    t = b["cpus"][c][0] - a["cpus"][c][0]
    idle = b["cpus"][c][1] - a["cpus"][c][1]
    busy.append(f"{c} {100 * (t - idle) / max(t, 1):.0f}%")
# the load client (wrk, h2load) has exited by now: its time comes from `times`
groups = {"server": 0.0, "client": float(sys.argv[5]), "db": 0.0, "others": 0.0}
top = {}
for p, (t, cmd) in b["procs"].items():
    sec = (t - a["procs"].get(p, [0])[0]) / hz
    if p == server:
        g = "server"
    elif cmd.startswith(("wrk", "h2load", "taskset", "python3")):
        continue
    elif cmd.startswith("postgres"):
        g = "db"
    else:
        g = "others"
        top[cmd[:100]] = top.get(cmd[:100], 0) + sec
    groups[g] += sec
open(sys.argv[6], "w").write(f"{groups['server']:.3f}\n")
worst = sorted(((v, c) for c, v in top.items() if v >= 0.3), reverse=True)[:3]
print(f"{sys.argv[3]}: busy {', '.join(busy)}; CPU-s "
      + ", ".join(f"{g} {v:.1f}" for g, v in groups.items())
      + ("; others: " + "; ".join(f"{v:.1f}s {c}" for v, c in worst) if worst else ""))
PY
}
KINDS=(rest-greeter grpc-greeter rest-user grpc-user)
log "warming up: each load for ${WARMUP}s"
for k in "${KINDS[@]}"; do load "$k" "$WARMUP" "$OUT/warmup-$k.txt"; check "$OUT/warmup-$k.txt" warmup; done

log "measuring: $ROUNDS rounds of ${DURATION}s per load (server CPU $SERVER_CPU, clients CPU $CLIENT_CPU)"
declare -A RATES PER_CPU
for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  for k in "${KINDS[@]}"; do
    cpu_sample "$OUT/cpu-before.json"
    times >"$OUT/times-before"
    load "$k" "$DURATION" "$OUT/round$r-$k.txt"
    times >"$OUT/times-after"
    cpu_sample "$OUT/cpu-after.json"
    cpu_report "$OUT/cpu-before.json" "$OUT/cpu-after.json" "round $r $k" \
      "$(child_secs "$OUT/times-after") - $(child_secs "$OUT/times-before")" "$OUT/round$r-$k.cpu" >>"$OUT/machine.log"
    uptime >>"$OUT/machine.log"
    check "$OUT/round$r-$k.txt"
    RATES[$k]+="$(rate "$OUT/round$r-$k.txt") "
    PER_CPU[$k]+="$(awk -v n="$(count "$OUT/round$r-$k.txt")" -v c="$(cat "$OUT/round$r-$k.cpu")" 'BEGIN { printf "%.0f", n / c }') "
    line+=" $k $(rate "$OUT/round$r-$k.txt")"
  done
  echo "$line"
done

# --- 8. gRPC byte check ----------------------------------------------------------
log "verifying gRPC responses: h2load -n $VERIFY_N per RPC, DATA bytes = n x frame size"
for name in hello user; do
  [[ $name == hello ]] && path=/helloworld.Greeter/SayHello || path=/user.v1.UserService/GetUserById
  f=$OUT/verify-$name.txt
  taskset -c "$CLIENT_CPU" h2load -t1 -c2 -m25 -n"$VERIFY_N" -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$OUT/$name.grpc" "$BASE$path" >"$f" 2>&1
  check "$f"
  frame_var=FRAME_$name
  want=$((VERIFY_N * ${!frame_var}))
  got=$(sed -n 's/^traffic:.* (\([0-9]*\)) data.*/\1/p' "$f")
  [[ $got == "$want" ]] || die "$path: $got DATA bytes for $VERIFY_N calls, expected $want (a call failed?)"
  echo "$path: $VERIFY_N calls, $got DATA bytes = $VERIFY_N x ${!frame_var}: every call answered its full response"
done

# --- 9. summary ------------------------------------------------------------------
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "wrk: $(dpkg-query -W -f='${Version}' wrk); h2load: $(dpkg-query -W -f='${Version}' nghttp2-client)"
  echo "cpus: $(nproc) ($(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1))"
  echo "server CPU $SERVER_CPU, clients CPU $CLIENT_CPU, warm-up ${WARMUP}s per load, $ROUNDS rounds of ${DURATION}s"
  echo
  printf '%-14s %s | median\n' load "req/s per round"
  for k in "${KINDS[@]}"; do printf '%-14s %s| %s\n' "$k" "${RATES[$k]}" "$(median <<<"${RATES[$k]}")"; done
  echo
  printf '%-14s %s | median\n' load "requests per server CPU-second, per round"
  for k in "${KINDS[@]}"; do printf '%-14s %s| %s\n' "$k" "${PER_CPU[$k]}" "$(median <<<"${PER_CPU[$k]}")"; done
  ratio() { awk -v a="$(median <<<"$1")" -v b="$(median <<<"$2")" 'BEGIN { printf "%.2f", a / b }'; }
  echo
  echo "REST/gRPC                                             req/s   per server CPU-s"
  echo "greeter (GET /v1/greeter/World vs SayHello):          $(ratio "${RATES[rest-greeter]}" "${RATES[grpc-greeter]}")    $(ratio "${PER_CPU[rest-greeter]}" "${PER_CPU[grpc-greeter]}")"
  echo "user 1  (GET /v1/users/1 vs GetUserById{id:1}):       $(ratio "${RATES[rest-user]}" "${RATES[grpc-user]}")    $(ratio "${PER_CPU[rest-user]}" "${PER_CPU[grpc-user]}")"
  echo
  echo "CPU use per ${DURATION}s measurement: server, load client, PostgreSQL, other processes (CPU-seconds; target/bench/machine.log names the others):"
  sed -n 's/^\(round [0-9]* [a-z-]*\): busy \([^;]*\); CPU-s \([^;]*\).*/  \1: busy \2; CPU-s \3/p' "$OUT/machine.log"
} | tee "$OUT/summary.txt"
