# bench/lib.sh: what every benchmark script shares (sourced, not run).
#
# Method (../shared/notes/BENCH-FACTS.md): the machine has 2 cores and is
# shared, so servers run pinned to CPU $SERVER_CPU and load clients to CPU
# $CLIENT_CPU (PostgreSQL, a system service, is not pinned: it shares both);
# every server is warmed up before it is measured; peers are measured in the
# same run, in interleaved rounds, and reported as ratios of medians; every
# load is checked for failed calls, including gRPC errors, which h2load counts
# as successes (HTTP 200): see check_grpc_bytes.
#
# Environment (defaults in brackets):
#   DURATION [10]   seconds per measurement     WARMUP [15] seconds of warm-up per load
#   ROUNDS [3]      interleaved rounds          VERIFY_N [20000] calls per gRPC byte check
#   SERVER_CPU [1], CLIENT_CPU [0]              JAVA_HOME  JDK to build and run with
#   BENCH_JVM_OPTS  JVM options for Tandem [the README's recommendation, TANDEM_JVM_OPTS below]
# Output goes to target/bench/<script>/: raw tool output, server logs,
# summary.txt (also printed).

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-15}
ROUNDS=${ROUNDS:-3}
VERIFY_N=${VERIFY_N:-20000}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JAR_TOOL=${JAVA_HOME:+$JAVA_HOME/bin/}jar
# The JVM settings the README recommends ("Memory"): what the JVM image's run-java.sh gives a pod
# with a 512 MiB limit (k8s/base/deployment.yaml), written out so that a bench without a container
# limit runs the same heap.
TANDEM_JVM_OPTS=${BENCH_JVM_OPTS:--Xmx128m -XX:+UseSerialGC}
# How every bench starts Tandem: prod profile, demo data, authentication off (as bin/run), loopback
TANDEM_ENV=(QUARKUS_PROFILE=prod QUARKUS_HTTP_HOST=127.0.0.1 TANDEM_DEMO_DATA_ENABLED=true TANDEM_AUTH_ENABLED=false)
PRODUCT_JAR=target/quarkus-app/quarkus-run.jar
BENCH_JAR=target-bench/quarkus-app/quarkus-run.jar

die() { echo "bench: $*" >&2; exit 1; }
log() { printf '\n== %s\n' "$*" >&2; }

# bench_init NAME: output directory target/bench/NAME (emptied), tools, cleanup trap
bench_init() {
  OUT=$ROOT/target/bench/$1
  rm -rf "$OUT" && mkdir -p "$OUT"
  need_packages wrk nghttp2-client protobuf-compiler xxd
  command -v taskset >/dev/null || die "taskset (util-linux) is missing"
  (($(nproc) > SERVER_CPU && $(nproc) > CLIENT_CPU)) || die "needs CPUs $SERVER_CPU and $CLIENT_CPU; this machine has $(nproc)"
  PIDS=() DB_NAME=
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  if [[ -n $DB_NAME ]]; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}

# need_packages PKG...: installs Debian packages that are missing (root only)
need_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]})) || return 0
  log "installing ${missing[*]}"
  [[ $(id -u) == 0 ]] || die "run as root, or install: apt-get install ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build_product / build_bench: the product jar (target/) and the bench-only build
# (target-bench/, with bench/handwritten), each rebuilt when older than the sources
build_product() { build_if_stale "$PRODUCT_JAR" pom.xml src/main .mvn/wrapper -- ./mvnw -B -q -DskipTests package; }
build_bench() { build_if_stale "$BENCH_JAR" pom.xml src/main bench/handwritten .mvn/wrapper -- ./mvnw -B -q -Pbench -DskipTests package; }
build_if_stale() {
  local jar=$1 srcs=()
  shift
  while [[ $1 != -- ]]; do srcs+=("$1"); shift; done
  shift
  if [[ ! -f $jar || -n $(find "${srcs[@]}" -newer "$jar" -print -quit 2>/dev/null) ]]; then
    log "building $jar"
    "$@" >&2
  fi
  [[ -f $jar ]] || die "no $jar after the build"
}

# database: a scratch database on the system PostgreSQL (dropped at exit);
# exports QUARKUS_DATASOURCE_JDBC_URL/USERNAME and sets DB_NAME
database() {
  psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1 ||
    die "no PostgreSQL on 127.0.0.1:5432 (pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql) main start)"
  DB_NAME=tandem_bench_$$
  psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB_NAME" >/dev/null
  export QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:5432/$DB_NAME QUARKUS_DATASOURCE_USERNAME=postgres
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# start_tandem JAR [ENV=VALUE...]: starts Tandem (prod profile, demo data, authentication off as
# bin/run has it, loopback, pinned to $SERVER_CPU, $TANDEM_JVM_OPTS) on a free port; sets TANDEM_PID, TANDEM_PORT, BASE;
# returns once /q/health/ready is UP
start_tandem() {
  local jar=$1
  shift
  TANDEM_PORT=$(free_port)
  BASE=http://127.0.0.1:$TANDEM_PORT
  log "starting Tandem ($jar) on $BASE, pinned to CPU $SERVER_CPU, JVM options: $TANDEM_JVM_OPTS"
  # shellcheck disable=SC2086
  env "${TANDEM_ENV[@]}" QUARKUS_HTTP_PORT="$TANDEM_PORT" "$@" \
    taskset -c "$SERVER_CPU" "$JAVA" $TANDEM_JVM_OPTS -jar "$jar" >"$OUT/tandem.log" 2>&1 &
  TANDEM_PID=$!
  PIDS+=("$TANDEM_PID")
  await_ready "$TANDEM_PID" "$BASE/q/health/ready" "$OUT/tandem.log"
}

# await_ready PID URL LOG: waits up to 60 s for URL to answer 2xx
await_ready() {
  local i
  for i in $(seq 1 600); do
    curl -fs "$2" >/dev/null 2>&1 && return 0
    kill -0 "$1" 2>/dev/null || { tail -30 "$3" >&2; die "the server exited; see $3"; }
    sleep 0.1
  done
  die "not ready after 60 s: $2; see $3"
}

# proto_includes: google/api and google/protobuf .proto files from the jars Tandem
# ships (and buf/validate when present), in $OUT/include; sets PROTOC
proto_includes() {
  local inc=$OUT/include j
  mkdir -p "$inc"
  for j in target/quarkus-app/lib/main/com.google.api.grpc.proto-google-common-protos-*.jar \
    target/quarkus-app/lib/main/com.google.protobuf.protobuf-java-[0-9]*.jar \
    target/quarkus-app/lib/main/build.buf.*.jar; do
    [[ -f $j ]] || continue
    (cd "$inc" && "$JAR_TOOL" xf "$ROOT/$j" $(unzip -Z1 "$ROOT/$j" | grep '\.proto$' | tr '\n' ' ') 2>/dev/null) || true
  done
  PROTOC=(protoc -Isrc/main/proto -I"$inc")
}

# grpc_frame NAME TYPE PROTO TEXT: a gRPC length-prefixed request in $OUT/NAME.grpc
grpc_frame() {
  "${PROTOC[@]}" --encode="$2" "$3" <<<"$4" >"$OUT/$1.bin"
  { printf '\x00'; printf '%08x' "$(stat -c%s "$OUT/$1.bin")" | xxd -r -p; cat "$OUT/$1.bin"; } >"$OUT/$1.grpc"
}

# grpc_once NAME URL: one call over h2c with curl; dies unless grpc-status is 0;
# prints the size of the response frame (what check_grpc_bytes expects per call)
grpc_once() {
  curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' \
    --data-binary @"$OUT/$1.grpc" -D "$OUT/$1.headers" -o "$OUT/$1.response" "$2"
  grep -qi '^grpc-status: *0' "$OUT/$1.headers" || die "$2 did not answer grpc-status 0: $(tr '\r\n' '  ' <"$OUT/$1.headers")"
  stat -c%s "$OUT/$1.response"
}

# h2load_grpc FILE SECONDS NAME URL [h2load options]: gRPC unary load from CPU $CLIENT_CPU
# (2 connections x 25 streams unless options say otherwise)
h2load_grpc() {
  local file=$1 secs=$2 name=$3 url=$4
  shift 4
  taskset -c "$CLIENT_CPU" h2load -t1 -c2 -m25 -D"$secs" -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$OUT/$name.grpc" "$@" "$url" >"$file" 2>&1 || true
}

# wrk_load FILE SECONDS URL [wrk options]: REST load from CPU $CLIENT_CPU (1 thread, 50 connections)
wrk_load() {
  local file=$1 secs=$2 url=$3
  shift 3
  taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"${secs}s" "$@" "$url" >"$file" 2>&1 || true
}

# wrk_warmup FILE SECONDS URL: wrk_load that also prints the first non-2xx responses (bench/wrk-errors.lua)
wrk_warmup() { wrk_load "$1" "$2" "$3" -s bench/wrk-errors.lua; }

# rate FILE: req/s from wrk, h2load or pgbench output
rate() {
  sed -n -e 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' -e 's/^finished in .*, \([0-9.]*\) req\/s.*/\1/p' \
    -e 's/^tps = \([0-9.]*\) .*/\1/p' "$1" | head -1
}

# check FILE [warmup]: dies on a failed call. wrk: no non-2xx responses, no socket errors (a cold
# JVM's timeouts are tolerated in a warm-up); h2load: 0 failed, 0 errored, only 2xx; pgbench: 0 failed.
check() {
  local f=$1 bad='Non-2xx or 3xx responses\|Socket errors'
  [[ ${2:-} == warmup ]] && bad='Non-2xx or 3xx responses'
  if grep -q '^Requests/sec' "$f"; then
    ! grep -q "$bad" "$f" || die "errors in $f: $(grep "$bad\|^non-2xx" "$f")"
  elif grep -q '^tps = ' "$f"; then
    ! grep -q '^number of failed transactions: [1-9]' "$f" || die "failed transactions in $f"
  else
    grep -q ' 0 failed, 0 errored' "$f" || die "failed requests in $f: $(grep '^requests:' "$f" || tail -3 "$f")"
    grep -q 'status codes: [0-9]* 2xx, 0 3xx, 0 4xx, 0 5xx' "$f" || die "non-2xx in $f: $(grep '^status codes' "$f")"
  fi
}

# check_grpc_bytes NAME URL FRAME_SIZE: h2load counts a gRPC error (HTTP 200, no DATA, grpc-status
# in the trailers) as a success, so run exactly VERIFY_N calls and require VERIFY_N x FRAME_SIZE
# DATA bytes: one missing response frame fails it
check_grpc_bytes() {
  local name=$1 url=$2 size=$3 f=$OUT/verify-$1-$RANDOM.txt got
  taskset -c "$CLIENT_CPU" h2load -t1 -c2 -m25 -n"$VERIFY_N" -H 'content-type: application/grpc' -H 'te: trailers' \
    -d "$OUT/$name.grpc" "$url" >"$f" 2>&1 || true
  check "$f"
  got=$(sed -n 's/^traffic:.* (\([0-9]*\)) data.*/\1/p' "$f")
  [[ $got == "$((VERIFY_N * size))" ]] || die "$url: $got DATA bytes for $VERIFY_N calls, expected $((VERIFY_N * size)) (a call failed)"
  echo "$url: $VERIFY_N calls answered $got DATA bytes = $VERIFY_N x $size: no gRPC error" >&2
}

# median: of the numbers on stdin (space or newline separated)
median() { tr ' ' '\n' | grep . | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# ratio A B: A / B to two decimals
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
# rss_mib PID: resident set size in MiB
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# versions: what every summary records
versions() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with local changes)')"
  echo "java: $("$JAVA" -version 2>&1 | head -1); Tandem JVM options: $TANDEM_JVM_OPTS"
  echo "quarkus: $(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml)"
  echo "wrk $(dpkg-query -W -f='${Version}' wrk); h2load $(dpkg-query -W -f='${Version}' nghttp2-client); postgresql $(psql -V | awk '{print $3}')"
  echo "cpus: $(nproc) x $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1); servers on CPU $SERVER_CPU, load clients on CPU $CLIENT_CPU, PostgreSQL unpinned"
  echo "method: warm-up ${WARMUP}s per load, then $ROUNDS interleaved rounds of ${DURATION}s; figures are medians"
  echo "machine load average (1, 5, 15 min) when the summary was written: $(cut -d" " -f1-3 /proc/loadavg)"
}
