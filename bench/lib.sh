# bench/lib.sh: what every benchmark script shares (sourced, not run).
#
# Method (../shared/notes/BENCH-FACTS.md; bench/README.md): the machine has 2 cores and is shared, so
# every server is started already pinned to CPU $SERVER_CPU (`taskset -c 1 java ...`: a JVM pinned
# after its start sizes its pools and GC for two CPUs) and every load client runs on CPU $CLIENT_CPU
# (PostgreSQL, a system service, is not pinned: it shares both). Each (server, load) pair is warmed
# up in rounds of $WARMUP s until two consecutive rounds agree within $WARMUP_TOLERANCE % (at most
# $WARMUP_MAX s; whether it converged is recorded); then $ROUNDS measured rounds of $DURATION s,
# interleaved over the servers of that load, and figures are medians; ratios only between figures of
# the same run. Every load is checked for failed calls (see `check` and `bytes_check`: h2load counts a
# gRPC error, HTTP 200, as a success, so each h2load run of a fixed number of calls must return
# exactly that many response bodies' worth of DATA bytes), and the load average is recorded with
# every round.
#
# Environment (defaults in brackets):
#   DURATION [10]    seconds per measured round      ROUNDS [3]  interleaved measured rounds
#   WARMUP [10]      seconds per warm-up round       WARMUP_MAX [120] warm-up seconds at most, per pair
#   WARMUP_TOLERANCE [5]  per cent two consecutive warm-up rounds may differ
#   WARMUP_MIN [40]  warm-up seconds before the agreement counts (the JIT's plateaus fool it earlier);
#                    WARMUP_MIN=WARMUP_MAX gives every server the same warm-up, which a comparison of
#                    database loads needs (their rate kept rising for minutes, so a server whose
#                    warm-up stopped earlier measured lower)
#   LAT_SECONDS [20] seconds of the half-load latency runs
#   SERVER_CPU [1], CLIENT_CPU [0]                   JAVA_HOME  JDK to build and run with
#   BENCH_JVM_OPTS   Tandem's JVM options [what the manifests ship: bench/jvm-opts.py]
#   PEER_JVM_OPTS    the JVM peers' options [the memory and GC part of the same: bench/jvm-opts.py --peer]
#   VERIFY_N [20000] calls of check_grpc_bytes (the older scripts' separate byte check)
# Output goes to target/bench/<script>/: raw tool output, server logs, *.tsv records, summaries.

set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-10}
WARMUP_MAX=${WARMUP_MAX:-120}
WARMUP_MIN=${WARMUP_MIN:-40}
WARMUP_TOLERANCE=${WARMUP_TOLERANCE:-5}
ROUNDS=${ROUNDS:-3}
LAT_SECONDS=${LAT_SECONDS:-20}
VERIFY_N=${VERIFY_N:-20000}
SERVER_CPU=${SERVER_CPU:-1}
CLIENT_CPU=${CLIENT_CPU:-0}
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
JDK_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}
JAR_TOOL=${JDK_BIN}jar
# The JVM settings Tandem's container runs with, read from src/main/docker/Dockerfile.jvm and k8s/
# (memory limit as -XX:MaxRAM, then what the image's run-java.sh derives): bench/jvm-opts.py
TANDEM_JVM_OPTS=${BENCH_JVM_OPTS:-$(python3 bench/jvm-opts.py)}
PEER_JVM_OPTS=${PEER_JVM_OPTS:-$(python3 bench/jvm-opts.py --peer)}
# How every bench starts Tandem: prod profile, demo data, authentication off (as bin/run), loopback
TANDEM_ENV=(QUARKUS_PROFILE=prod QUARKUS_HTTP_HOST=127.0.0.1 TANDEM_DEMO_DATA_ENABLED=true TANDEM_AUTH_ENABLED=false)
PRODUCT_JAR=target/quarkus-app/quarkus-run.jar
BENCH_JAR=target-bench/quarkus-app/quarkus-run.jar
GET_USER_SQL=bench/sql/get-user-by-id.sql

die() { echo "bench: $*" >&2; exit 1; }
log() { printf '\n== %s\n' "$*" >&2; }

# bench_init NAME: output directory target/bench/NAME (emptied), tools, cleanup trap
bench_init() {
  OUT=$ROOT/target/bench/$1
  rm -rf "$OUT" && mkdir -p "$OUT"
  need_packages wrk nghttp2-client protobuf-compiler xxd
  command -v taskset >/dev/null || die "taskset (util-linux) is missing"
  (($(nproc) > SERVER_CPU && $(nproc) > CLIENT_CPU)) || die "needs CPUs $SERVER_CPU and $CLIENT_CPU; this machine has $(nproc)"
  PIDS=() DB_NAME=''
  trap bench_cleanup EXIT
}

bench_cleanup() {
  local p
  # only this script's own children: an id that has been given to another process is left alone
  for p in "${PIDS[@]}"; do
    [[ $(awk '/^PPid:/ { print $2 }' "/proc/$p/status" 2>/dev/null) == "$$" ]] && kill "$p" 2>/dev/null || true
  done
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

# app_jar [QUARKUS_APP_DIR]: Tandem's packaged application jar (its own classes and the generated
# message and stub classes), which the Java peers run with instead of generating their own
app_jar() {
  local j
  j=$(ls "${1:-target/quarkus-app}"/app/*.jar 2>/dev/null | head -1)
  [[ -n $j ]] || die "no application jar in ${1:-target/quarkus-app}/app (build_product first)"
  echo "$ROOT/$j"
}

# build_peer NAME: builds bench/peers/NAME (a Maven project) against Tandem's application jar, when
# its sources, pom or that jar are newer than its classpath file
build_peer() {
  local dir=bench/peers/$1 jar
  jar=$(app_jar)
  if [[ ! -f $dir/target/classpath.txt || -n $(find "$dir/pom.xml" "$dir/src" bench/peers/jdbc/src "$jar" -newer "$dir/target/classpath.txt" -print -quit 2>/dev/null) ]]; then
    log "building the peer $1"
    ./mvnw -B -q -f "$dir/pom.xml" -Dtandem.app.jar="$jar" clean package >&2 || die "the peer $1 did not build"
  fi
}

# peer_classpath NAME: its classes, its dependencies, Tandem's application jar
peer_classpath() { echo "bench/peers/$1/target/classes:$(cat "bench/peers/$1/target/classpath.txt"):$(app_jar)"; }

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
# bin/run has it, loopback, pinned to $SERVER_CPU, $TANDEM_JVM_OPTS) on a free port; sets TANDEM_PID,
# TANDEM_PORT, BASE; returns once /q/health/ready is UP. (The older scripts' single-server start;
# tandem_server below registers a named server.)
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

# await_ready PID URL LOG: waits up to 180 s for URL to answer 2xx (a start on a busy machine is slow)
await_ready() {
  local i
  for i in $(seq 1 1800); do
    curl -fs "$2" >/dev/null 2>&1 && return 0
    kill -0 "$1" 2>/dev/null || { tail -30 "$3" >&2; die "the server exited; see $3"; }
    sleep 0.1
  done
  die "not ready after 180 s: $2; see $3"
}

# await_line PID LOG TEXT: waits up to 60 s for TEXT in LOG (a peer's "listening on")
await_line() {
  local i
  for i in $(seq 1 600); do
    grep -q "$3" "$2" 2>/dev/null && return 0
    kill -0 "$1" 2>/dev/null || { tail -30 "$2" >&2; die "the server exited; see $2"; }
    sleep 0.1
  done
  die "no '$3' after 60 s in $2"
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

# grpc_frame NAME TYPE PROTO TEXT: a gRPC length-prefixed request in $OUT/NAME.grpc (the bare
# message in $OUT/NAME.bin)
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

# wrk_load FILE SECONDS URL [wrk options]: REST load from CPU $CLIENT_CPU (1 thread, 50 connections;
# a response later than $WRK_TIMEOUT [10s] is a socket error "timeout", i.e. a failed call)
wrk_load() {
  local file=$1 secs=$2 url=$3
  shift 3
  taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"${secs}s" --timeout "${WRK_TIMEOUT:-10s}" "$@" "$url" >"$file" 2>&1 || true
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
rss_mib() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# loadavg1: the machine's 1-minute load average
loadavg1() { cut -d' ' -f1 /proc/loadavg; }

# versions: what every summary records
versions() {
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src pom.xml 2>/dev/null || echo ' (with local changes)')"
  echo "java: $("$JAVA" -version 2>&1 | head -1); Tandem JVM options: $TANDEM_JVM_OPTS"
  echo "peers' JVM options: $PEER_JVM_OPTS"
  echo "quarkus: $(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml)"
  echo "wrk $(dpkg-query -W -f='${Version}' wrk); h2load $(dpkg-query -W -f='${Version}' nghttp2-client); postgresql $(psql -V | awk '{print $3}')"
  echo "cpus: $(nproc) x $(sed -n 's/^model name\t: //p' /proc/cpuinfo | head -1); servers on CPU $SERVER_CPU, load clients on CPU $CLIENT_CPU, PostgreSQL unpinned"
  echo "method (all.sh, compare.sh, feature-cost.sh, profile.sh): warm-up in rounds of ${WARMUP}s until, after at least ${WARMUP_MIN}s, two agree within ${WARMUP_TOLERANCE} % (at most ${WARMUP_MAX}s), then $ROUNDS interleaved rounds of ${DURATION}s; figures are medians"
  echo "machine load average (1, 5, 15 min) when the summary was written: $(cut -d" " -f1-3 /proc/loadavg)"
}

# =====================================================================================================
# The engine of bench/all.sh, compare.sh and feature-cost.sh: named servers, the loads of
# bench/loads.tsv, warm-up until stable, interleaved rounds, records in $OUT/*.tsv.
# =====================================================================================================

declare -A S_URL S_GRPC S_PID S_HDR S_KIND S_DESC S_LOG
SERVERS=()
JWT_ISSUER=http://localhost/bench

# jwt: an RSA key pair in $OUT/jwt and an RS256 token (role reader, valid 24 h) in $JWT, made as
# bin/dev-token makes them (issuer $JWT_ISSUER)
jwt() {
  [[ -n ${JWT:-} ]] && return 0
  local dir=$OUT/jwt now
  mkdir -p "$dir"
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$dir/private.pem" 2>/dev/null
  openssl pkey -in "$dir/private.pem" -pubout -out "$dir/public.pem"
  b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
  now=$(date +%s)
  local header payload
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","sub":"bench","groups":["reader"],"iat":%d,"exp":%d}' "$JWT_ISSUER" "$now" "$((now + 86400))" | b64url)
  JWT=$header.$payload.$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign "$dir/private.pem" -binary | b64url)
}

# tandem_server NAME JAR [ENV=VALUE...]: starts Tandem as server NAME ($TANDEM_ENV, then the given
# settings; pinned; $TANDEM_JVM_OPTS) and waits for /q/health/ready. TANDEM_AUTH_ENABLED=true adds the
# bench's key and issuer, and every load then sends the bench's bearer token (RS256, role reader).
# QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER=true gets a free gRPC port, to which gRPC loads then go.
tandem_server() {
  local name=$1 jar=$2 e port grpc_port= extra_jvm=
  shift 2
  local env=("$@")
  port=$(free_port)
  S_URL[$name]=http://127.0.0.1:$port S_GRPC[$name]=http://127.0.0.1:$port S_HDR[$name]='' S_KIND[$name]=tandem
  for e in "${env[@]}"; do
    case $e in
      TANDEM_AUTH_ENABLED=true)
        jwt
        env+=(MP_JWT_VERIFY_PUBLICKEY_LOCATION="$OUT/jwt/public.pem" MP_JWT_VERIFY_ISSUER="$JWT_ISSUER")
        S_HDR[$name]="authorization: Bearer $JWT" ;;
      QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER=true)
        grpc_port=$(free_port)
        S_GRPC[$name]=http://127.0.0.1:$grpc_port ;;
      BENCH_EXTRA_JVM_OPTS=*) # one more JVM option, after $TANDEM_JVM_OPTS (the last of a flag wins)
        extra_jvm=${e#BENCH_EXTRA_JVM_OPTS=} ;;
    esac
  done
  [[ -n $grpc_port ]] && env+=(QUARKUS_GRPC_SERVER_PORT="$grpc_port" QUARKUS_GRPC_SERVER_HOST=127.0.0.1)
  S_DESC[$name]="Tandem $jar${env[*]:+ with ${env[*]}}"
  S_DESC[$name]=${S_DESC[$name]//$OUT\//}
  S_LOG[$name]=$OUT/server-$name.log
  log "starting $name: Tandem ($jar) on port $port, pinned to CPU $SERVER_CPU${env[*]:+, ${env[*]}}"
  # shellcheck disable=SC2086
  env "${TANDEM_ENV[@]}" QUARKUS_HTTP_PORT="$port" "${env[@]}" \
    taskset -c "$SERVER_CPU" "$JAVA" $TANDEM_JVM_OPTS $extra_jvm -jar "$jar" >"${S_LOG[$name]}" 2>&1 &
  S_PID[$name]=$!
  PIDS+=("$!")
  SERVERS+=("$name")
  await_ready "$!" "${S_URL[$name]}/q/health/ready" "${S_LOG[$name]}"
  grep -h 'Build time property cannot be changed at runtime' -A3 "${S_LOG[$name]}" >&2 &&
    echo "bench: $name: a setting above is build time: it has no effect at run time" >&2 || true
}

# peer_server NAME [KIND]: starts a Java peer of bench/peers (KIND, default NAME: grpc-java-hello,
# grpc-java-jdbc, armeria), built against Tandem's application jar, pinned, $PEER_JVM_OPTS; the JDBC
# peers use the scratch database and bench/sql/get-user-by-id.sql
peer_server() {
  local name=$1 kind=${2:-$1} port main args
  build_peer "$kind"
  port=$(free_port)
  case $kind in
    grpc-java-hello) main=dev.tandem.bench.peer.HelloServer args=("$port") ;;
    grpc-java-jdbc) main=dev.tandem.bench.peer.JdbcServer args=("$port" "$QUARKUS_DATASOURCE_JDBC_URL" postgres "$ROOT/$GET_USER_SQL") ;;
    armeria) main=dev.tandem.bench.peer.armeria.ArmeriaServer args=("$port" "$QUARKUS_DATASOURCE_JDBC_URL" postgres "$ROOT/$GET_USER_SQL") ;;
    *) die "unknown peer $kind" ;;
  esac
  S_URL[$name]=http://127.0.0.1:$port S_GRPC[$name]=http://127.0.0.1:$port S_HDR[$name]='' S_KIND[$name]=$kind
  S_DESC[$name]="bench/peers/$kind ($(sed -n 's:.*<\(armeria\|grpc\).version>\(.*\)</.*:\1 \2:p' "bench/peers/$kind/pom.xml" | head -1))"
  S_LOG[$name]=$OUT/server-$name.log
  log "starting $name: bench/peers/$kind on port $port, pinned to CPU $SERVER_CPU"
  # shellcheck disable=SC2086
  taskset -c "$SERVER_CPU" "$JAVA" $PEER_JVM_OPTS -cp "$(peer_classpath "$kind")" "$main" "${args[@]}" >"${S_LOG[$name]}" 2>&1 &
  S_PID[$name]=$!
  PIDS+=("$!")
  SERVERS+=("$name")
  await_line "$!" "${S_LOG[$name]}" listening
}

# gateway_server NAME BACKEND: grpc-gateway v1 (bench/peers/grpc-gateway, built from Tandem's protos)
# in front of server BACKEND's gRPC, pinned to $SERVER_CPU too (as a sidecar shares the pod's CPU)
gateway_server() {
  local name=$1 backend=$2 port
  build_gateway
  port=$(free_port)
  S_URL[$name]=http://127.0.0.1:$port S_GRPC[$name]='' S_HDR[$name]=${S_HDR[$backend]} S_KIND[$name]=grpc-gateway
  S_DESC[$name]="grpc-gateway v1 $(dpkg-query -W -f='${Version}' golang-grpc-gateway) -> $backend's gRPC"
  S_LOG[$name]=$OUT/server-$name.log
  log "starting $name: grpc-gateway -> $backend, pinned to CPU $SERVER_CPU"
  taskset -c "$SERVER_CPU" "$GATEWAY" -listen "127.0.0.1:$port" -backend "${S_GRPC[$backend]#http://}" >"${S_LOG[$name]}" 2>&1 &
  S_PID[$name]=$!
  PIDS+=("$!")
  SERVERS+=("$name")
  await_ready "$!" "${S_URL[$name]}/v1/greeter/ready" "${S_LOG[$name]}"
}

# pgbench_server NAME: pgbench on the scratch database, the database's own ceiling: every load it
# is listed for runs bench/sql/<the load's sql column> (-M prepared -c $PGBENCH_CLIENTS -j 1)
PGBENCH_CLIENTS=${PGBENCH_CLIENTS:-20}
pgbench_server() {
  S_URL[$1]='' S_GRPC[$1]='' S_HDR[$1]='' S_KIND[$1]=pgbench S_PID[$1]=''
  S_DESC[$1]="pgbench $("$(pgbench_bin)" -V | awk '{print $3}') -M prepared -c $PGBENCH_CLIENTS -j 1 (Tandem's pool maximum)"
  SERVERS+=("$1")
}
pgbench_bin() { ls /usr/lib/postgresql/*/bin/pgbench 2>/dev/null | tail -1 || command -v pgbench; }

# build_gateway: the grpc-gateway v1 peer from Tandem's protos (Debian's Go packages, GOPATH mode,
# offline); sets GATEWAY
build_gateway() {
  [[ -n ${GATEWAY:-} ]] && return 0
  need_packages golang-go golang-grpc-gateway golang-github-grpc-ecosystem-grpc-gateway-dev golang-google-grpc-dev \
    golang-google-genproto-dev golang-goprotobuf-dev protoc-gen-go-1-3
  log "building the grpc-gateway v1 peer ($(dpkg-query -W -f='${Version}' golang-grpc-gateway))"
  local gw=$OUT/gateway m
  local src=$gw/gopath/src/tandem/bench
  mkdir -p "$src/gateway"
  m=Mgoogle/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty
  m=$m,Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp
  m=$m,Mgoogle/protobuf/field_mask.proto=google.golang.org/genproto/protobuf/field_mask
  m=$m,Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations
  m=$m,Mgoogle/api/field_behavior.proto=google.golang.org/genproto/googleapis/api/annotations
  m=$m,Mhelloworld/helloworld.proto=tandem/bench/helloworld,Muser/v1/user.proto=tandem/bench/user/v1
  m=$m,Morders/v1/order.proto=tandem/bench/orders/v1,Mbuf/validate/validate.proto=tandem/bench/bufvalidate
  m=$m,Mgoogle/protobuf/descriptor.proto=github.com/golang/protobuf/protoc-gen-go/descriptor
  m=$m,Mgoogle/protobuf/duration.proto=github.com/golang/protobuf/ptypes/duration
  m=$m,Mgoogle/api/httpbody.proto=google.golang.org/genproto/googleapis/api/httpbody
  m=$m,Mtandem/api/http.proto=tandem/bench/tandemapi
  # protovalidate's rules are options, but protoc-gen-go still imports their package
  if [[ -f $OUT/include/buf/validate/validate.proto ]]; then
    "${PROTOC[@]}" --go_out=paths=source_relative,$m:"$gw" buf/validate/validate.proto
    mkdir -p "$src/bufvalidate" && mv "$gw/buf/validate/validate.pb.go" "$src/bufvalidate/"
  fi
  # Tandem's own method options (tandem/api/http.proto): options too, imported all the same
  "${PROTOC[@]}" --go_out=paths=source_relative,$m:"$gw" tandem/api/http.proto
  mkdir -p "$src/tandemapi" && mv "$gw/tandem/api/http.pb.go" "$src/tandemapi/"
  "${PROTOC[@]}" --go_out=plugins=grpc,paths=source_relative,$m:"$src" orders/v1/order.proto
  local p
  for p in helloworld/helloworld.proto user/v1/user.proto; do
    "${PROTOC[@]}" --go_out=plugins=grpc,paths=source_relative,$m:"$src" \
      --grpc-gateway_out=logtostderr=true,allow_repeated_fields_in_body=true,paths=source_relative,$m:"$src" "$p"
  done
  cp bench/peers/grpc-gateway/main.go "$src/gateway/"
  (cd "$src/gateway" && GO111MODULE=off GOPATH="$gw/gopath:/usr/share/gocode" GOPROXY=off GOFLAGS='' go build -o "$gw/bench-gateway" .)
  GATEWAY=$gw/bench-gateway
}

# stop_server NAME
stop_server() {
  local pid=${S_PID[$1]:-}
  [[ -n $pid ]] || return 0
  stop_pid "$pid"
  S_PID[$1]=''
}

# stop_pid PID: ends a process this script started and forgets its id, so that the exit trap never
# signals a later process that was given the same id (on a shared machine, someone else's)
stop_pid() {
  local keep=() p
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
  PIDS=("${keep[@]}")
}

# --- loads ---------------------------------------------------------------------------------------
# bench/loads.tsv: one load a line (name, protocol, path, request, peers, sql); read by load_table.
declare -A L_PROTO L_PATH L_REQ L_PEERS L_SQL
LOADS=()
load_table() {
  local name proto path req peers sql
  while IFS=$'\t' read -r name proto path req peers sql; do
    [[ -z $name || $name == \#* ]] && continue
    L_PROTO[$name]=$proto L_PATH[$name]=$path L_REQ[$name]=$req L_PEERS[$name]=$peers L_SQL[$name]=${sql:--}
    [[ $peers == - ]] && L_PEERS[$name]=
    LOADS+=("$name")
  done < <(sed 's/\t\t*/\t/g' bench/loads.tsv)
  ((${#LOADS[@]})) || die "no load in bench/loads.tsv"
}

# request_files LOAD: $OUT/req-LOAD.bin (the message, from the `request` column: a message type and
# its text format, encoded with protoc against src/main/proto) and $OUT/req-LOAD.grpc (framed)
request_files() {
  local l=$1 type text
  [[ ${L_REQ[$l]} == - || -f $OUT/req-$l.bin ]] && return 0
  type=${L_REQ[$l]%% *} text=${L_REQ[$l]#* }
  [[ $text == "$type" ]] && text=
  # shellcheck disable=SC2046
  "${PROTOC[@]}" --encode="$type" $(cd src/main/proto && find . -name '*.proto' | sed 's:^\./::') <<<"$text" >"$OUT/req-$l.bin" ||
    die "bench/loads.tsv, $l: protoc cannot encode '$text' as $type"
  { printf '\x00'; printf '%08x' "$(stat -c%s "$OUT/req-$l.bin")" | xxd -r -p; cat "$OUT/req-$l.bin"; } >"$OUT/req-$l.grpc"
}

# url SERVER LOAD: where the load goes (gRPC to the server's gRPC port, everything else to its HTTP port)
url() { if [[ ${L_PROTO[$2]} == grpc ]]; then echo "${S_GRPC[$1]}${L_PATH[$2]}"; else echo "${S_URL[$1]}${L_PATH[$2]}"; fi; }

# h2load_args LOAD: the protocol's headers and body (h2load options)
h2load_args() {
  case ${L_PROTO[$1]} in
    grpc) echo "-H content-type:application/grpc -H te:trailers -d $OUT/req-$1.grpc" ;;
    grpc-web) echo "-H content-type:application/grpc-web+proto -H x-grpc-web:1 -d $OUT/req-$1.grpc" ;;
    connect) echo "-H content-type:application/proto -H connect-protocol-version:1 -d $OUT/req-$1.bin" ;;
    *) die "no h2load arguments for protocol ${L_PROTO[$1]}" ;;
  esac
}

# probe SERVER LOAD: one call with curl; dies unless it succeeded (gRPC and gRPC-Web: grpc-status 0;
# REST and Connect: 2xx); the response body in $OUT/probe/LOAD/SERVER.body, its message part in
# .message (gRPC: the DATA frames; gRPC-Web: the data frames without the trailer frame; REST, Connect:
# the body); sets EXPECT[SERVER/LOAD] to the body's size, what every call must answer
declare -A EXPECT
probe() {
  local s=$1 l=$2 d=$OUT/probe/$2 hdr=() u
  mkdir -p "$d"
  u=$(url "$s" "$l")
  [[ -n ${S_HDR[$s]} ]] && hdr=(-H "${S_HDR[$s]}")
  case ${L_PROTO[$l]} in
    grpc) curl -s --http2-prior-knowledge -H 'content-type: application/grpc' -H 'te: trailers' "${hdr[@]}" \
      --data-binary @"$OUT/req-$l.grpc" -D "$d/$s.headers" -o "$d/$s.body" "$u" ;;
    grpc-web) curl -s --http2-prior-knowledge -H 'content-type: application/grpc-web+proto' -H 'x-grpc-web: 1' "${hdr[@]}" \
      --data-binary @"$OUT/req-$l.grpc" -D "$d/$s.headers" -o "$d/$s.body" "$u" ;;
    connect) curl -s --http2-prior-knowledge -H 'content-type: application/proto' -H 'connect-protocol-version: 1' "${hdr[@]}" \
      --data-binary @"$OUT/req-$l.bin" -D "$d/$s.headers" -o "$d/$s.body" "$u" ;;
    rest) curl -s "${hdr[@]}" -D "$d/$s.headers" -o "$d/$s.body" "$u" ;;
    *) die "bench/loads.tsv, $l: unknown protocol ${L_PROTO[$l]}" ;;
  esac
  grep -q '^HTTP/[0-9.]* 2' "$d/$s.headers" || die "$s, $l ($u): $(head -1 "$d/$s.headers") $(head -c 300 "$d/$s.body")"
  python3 - "$d/$s" "${L_PROTO[$l]}" <<'PY' || die "$s, $l ($u) failed: $(tr '\r\n' '  ' <"$d/$s.headers")"
import sys
base, proto = sys.argv[1], sys.argv[2]
body = open(base + ".body", "rb").read()
headers = open(base + ".headers", "rb").read().decode("latin-1").lower()
message = body
if proto == "grpc":
    if "grpc-status: 0" not in headers:
        sys.exit(1)
elif proto == "grpc-web":
    i, message, ok = 0, b"", False
    while i + 5 <= len(body):
        flag, n = body[i], int.from_bytes(body[i + 1:i + 5], "big")
        frame = body[i + 5:i + 5 + n]
        if flag & 0x80:
            ok = ok or b"grpc-status:0" in frame.replace(b" ", b"").lower()
        else:
            message += body[i:i + 5 + n]
        i += 5 + n
    if not ok and "grpc-status: 0" not in headers:
        sys.exit(1)
open(base + ".message", "wb").write(message)
PY
  EXPECT[$s/$l]=$(stat -c%s "$d/$s.body")
}

# identical LOAD REFERENCE SERVER...: dies unless every SERVER answered LOAD with the same message
# bytes as REFERENCE (same generated classes, same data: byte-identical responses); IDENTITY=warn
# only warns (and writes $OUT/warnings.txt)
identical() {
  local l=$1 ref=$2 s d=$OUT/probe/$1
  shift 2
  for s in "$@"; do
    cmp -s "$d/$ref.message" "$d/$s.message" && continue
    local msg
    msg="$l: $s's response differs from $ref's: $(head -c 400 "$d/$s.message" | tr -c '[:print:]' '.') vs $(head -c 400 "$d/$ref.message" | tr -c '[:print:]' '.')"
    [[ ${IDENTITY:-} == warn ]] || die "$msg"
    echo "bench: WARNING: $msg" | tee -a "$OUT/warnings.txt" >&2
  done
  echo "$l: $* answer$( (($# == 1)) && echo s) byte-identical responses to $ref's ($(stat -c%s "$d/$ref.message") bytes)" >&2
}

# --- running a load ------------------------------------------------------------------------------
# run_load FILE SERVER LOAD SECONDS [CALLS]: one run of LOAD against SERVER from CPU $CLIENT_CPU.
# REST: wrk -t1 -c50 for SECONDS. gRPC, gRPC-Web, Connect: h2load -t1 -c2 -m25, exactly CALLS calls
# when given (then the DATA bytes are checked), else for SECONDS. pgbench: SECONDS. Dies on a failed
# call; prints the rate.
run_load() {
  local f=$1 s=$2 l=$3 secs=$4 calls=${5:-} hdr=() got
  [[ -n ${S_HDR[$s]} ]] && hdr=(-H "${S_HDR[$s]}")
  if [[ ${S_KIND[$s]} == pgbench ]]; then
    [[ ${L_SQL[$l]} != - ]] || die "bench/loads.tsv, $l: pgbench needs the sql column"
    taskset -c "$CLIENT_CPU" "$(pgbench_bin)" -h 127.0.0.1 -U postgres -n -M prepared -c "$PGBENCH_CLIENTS" -j 1 \
      -f "bench/sql/${L_SQL[$l]}" -T "$secs" "$DB_NAME" >"$f" 2>&1 || true
    check "$f"
  elif [[ ${L_PROTO[$l]} == rest ]]; then
    wrk_load "$f" "$secs" "$(url "$s" "$l")" "${hdr[@]}"
    check "$f" "${WRK_LENIENT:-}"
  else
    # shellcheck disable=SC2046
    if [[ -n $calls ]]; then
      timeout $((secs * 6 + 60)) taskset -c "$CLIENT_CPU" h2load -t1 -c2 -m25 -n"$calls" $(h2load_args "$l") "${hdr[@]}" \
        "$(url "$s" "$l")" >"$f" 2>&1 || die "$s, $l: h2load did not finish $calls calls in $((secs * 6 + 60)) s; see $f"
    else
      taskset -c "$CLIENT_CPU" h2load -t1 -c2 -m25 -D"$secs" $(h2load_args "$l") "${hdr[@]}" "$(url "$s" "$l")" >"$f" 2>&1 || true
    fi
    check "$f"
    if [[ -n $calls ]]; then
      got=$(sed -n 's/^traffic:.* (\([0-9]*\)) data.*/\1/p' "$f")
      [[ $got == "$((calls * EXPECT[$s/$l]))" ]] ||
        die "$s, $l: $got DATA bytes for $calls calls, expected $calls x ${EXPECT[$s/$l]} = $((calls * EXPECT[$s/$l])): a call failed; see $f"
    fi
  fi
  rate "$f"
}

# calls_for RATE SECONDS: how many calls take about SECONDS at RATE (at least 500)
calls_for() { awk -v r="$1" -v s="$2" 'BEGIN { n = int(r * s); print (n < 500 ? 500 : n) }'; }

# rss_watch PID FILE: the PID's RSS (MiB) every 0.5 s into FILE until killed
rss_watch() { while kill -0 "$1" 2>/dev/null; do rss_mib "$1" >>"$2"; echo >>"$2"; sleep 0.5; done; }

# record KIND LOAD SERVER ROUND RATE LOADAVG_BEFORE LOADAVG_AFTER RSS FILE: a line of $OUT/rounds.tsv
record() { printf '%s\t' "$@" | sed 's/\t$/\n/' >>"$OUT/rounds.tsv"; }

# measure_once KIND LOAD SERVER ROUND SECONDS: one run (gRPC-like: a fixed number of calls sized from
# the pair's last rate, so that its DATA bytes are checked), recorded with the load average before
# and after and the server's highest RSS; sets LAST_RATE[SERVER/LOAD]
declare -A LAST_RATE
measure_once() {
  local kind=$1 l=$2 s=$3 r=$4 secs=$5 f=$OUT/raw/$1-$2-$3-$4.txt la0 la1 watch= rss=- calls= rate
  mkdir -p "$OUT/raw"
  if [[ ${S_KIND[$s]} != pgbench && ${L_PROTO[$l]} != rest && -n ${LAST_RATE[$s/$l]:-} ]]; then
    calls=$(calls_for "${LAST_RATE[$s/$l]}" "$secs")
  fi
  la0=$(loadavg1)
  if [[ -n ${S_PID[$s]:-} ]]; then
    rm -f "$f.rss"
    rss_watch "${S_PID[$s]}" "$f.rss" &
    watch=$!
  fi
  rate=$(run_load "$f" "$s" "$l" "$secs" $calls)
  [[ -n $rate ]] || die "$s, $l: no rate in $f"
  if [[ -n $watch ]]; then
    kill "$watch" 2>/dev/null || true
    wait "$watch" 2>/dev/null || true
    rss=$(grep . "$f.rss" | sort -n | tail -1)
  fi
  la1=$(loadavg1)
  LAST_RATE[$s/$l]=$rate
  record "$kind" "$l" "$s" "$r" "$rate" "$la0" "$la1" "$rss" "${f#"$OUT"/}"
}

# warm_up LOAD SERVER: rounds of $WARMUP s until, after at least $WARMUP_MIN s, two consecutive
# rates agree within $WARMUP_TOLERANCE %, or $WARMUP_MAX s have passed; recorded in $OUT/warmup.tsv
warm_up() {
  local l=$1 s=$2 n=0 spent=0 prev= cur converged=no rates=
  while ((spent < WARMUP_MAX || n < 2)); do
    n=$((n + 1))
    WRK_LENIENT=warmup measure_once warmup "$l" "$s" "$n" "$WARMUP"
    cur=${LAST_RATE[$s/$l]}
    rates+="$cur "
    spent=$((spent + WARMUP))
    if [[ -n $prev ]] && ((spent >= WARMUP_MIN)) && awk -v a="$prev" -v b="$cur" -v t="$WARMUP_TOLERANCE" \
      'BEGIN { m = (a > b ? a : b); exit !(m > 0 && (a > b ? a - b : b - a) / m * 100 <= t) }'; then
      converged=yes
      break
    fi
    prev=$cur
  done
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$l" "$s" "$n" "$spent" "$converged" "$rates" >>"$OUT/warmup.tsv"
  echo "warm-up $l on $s: $rates($( [[ $converged == yes ]] && echo "stable after $n rounds" || echo "NOT stable within ${WARMUP_MAX}s"))" >&2
}

# bench_load LOAD SERVER...: probes every server (the first is the reference: the others must answer
# byte-identical messages, except grpc-gateway and pgbench), warms each up, then $ROUNDS rounds
# interleaved over the servers
bench_load() {
  local l=$1 s r others=()
  shift
  request_files "$l"
  log "$l (${L_PROTO[$l]} ${L_PATH[$l]}): $*"
  for s in "$@"; do
    [[ ${S_KIND[$s]} == pgbench ]] && continue
    probe "$s" "$l"
    [[ $s != "$1" && ${S_KIND[$s]} != grpc-gateway ]] && others+=("$s")
  done
  ((${#others[@]})) && identical "$l" "$1" "${others[@]}"
  for s in "$@"; do warm_up "$l" "$s"; done
  for r in $(seq 1 "$ROUNDS"); do
    for s in "$@"; do measure_once round "$l" "$s" "$r" "$DURATION"; done
    echo "round $r of $l: $(for s in "$@"; do printf '%s %s  ' "$s" "${LAST_RATE[$s/$l]}"; done)" >&2
  done
}

# median_rate LOAD SERVER: the median of the measured rounds
median_rate() { awk -F'\t' -v l="$1" -v s="$2" '$1 == "round" && $2 == l && $3 == s { print $5 }' "$OUT/rounds.tsv" | median; }

# latency LOAD SERVER: half of the pair's median maximum offered for $LAT_SECONDS s by h2load's rate
# limiter (gRPC-like: 10 connections x 10 streams; REST: HTTP/1.1, 20 connections, one request in
# flight each), every call's latency logged (--log-file, µs), a fixed number of calls so that gRPC's
# DATA bytes are checked; a line of $OUT/latency.tsv: load server max offered achieved p50 p99 p99.9
# calls loadavg. h2load paces each client (not a coordinated-omission-free open loop like wrk2, which
# Debian lacks): a stall delays the next sends, so the high percentiles are if anything flattered.
latency() {
  local l=$1 s=$2 max rps clients f=$OUT/raw/latency-$1-$2.txt hdr=() opts got la0 line
  max=$(median_rate "$l" "$s")
  [[ -n $max ]] || die "latency: no measured rate of $l on $s"
  [[ -n ${S_HDR[$s]} ]] && hdr=(-H "${S_HDR[$s]}")
  if [[ ${L_PROTO[$l]} == rest ]]; then clients=20 opts=(--h1 -c20 -m1); else clients=10; read -ra opts < <(echo "-c10 -m10 $(h2load_args "$l")"); fi
  rps=$(awk -v m="$max" -v c="$clients" 'BEGIN { r = int(m / 2 / c); print (r < 1 ? 1 : r) }')
  local calls=$((rps * clients * LAT_SECONDS))
  la0=$(loadavg1)
  timeout $((LAT_SECONDS * 3 + 60)) taskset -c "$CLIENT_CPU" h2load -t1 "${opts[@]}" "${hdr[@]}" --rps="$rps" -n"$calls" \
    --log-file="$f.log" "$(url "$s" "$l")" >"$f" 2>&1 || die "$s, $l: the latency run did not finish; see $f"
  check "$f"
  if [[ ${L_PROTO[$l]} != rest ]]; then
    got=$(sed -n 's/^traffic:.* (\([0-9]*\)) data.*/\1/p' "$f")
    [[ $got == "$((calls * EXPECT[$s/$l]))" ]] || die "$s, $l: $got DATA bytes for $calls calls in the latency run: a call failed"
  fi
  line=$(python3 - "$f.log" "$f" <<'PY'
import re, sys
lat = sorted(int(l.split()[2]) for l in open(sys.argv[1]) if len(l.split()) >= 3 and l.split()[1].startswith("2"))
m = re.search(r"finished in ([0-9.]+)(m?s)", open(sys.argv[2]).read())
secs = float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)
p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print(f"{len(lat) / secs:.0f}\t{p(0.5):.2f}\t{p(0.99):.2f}\t{p(0.999):.2f}\t{len(lat)}")
PY
)
  printf '%s\t%s\t%s\t%s\t%s\t%s-%s\n' "$l" "$s" "$max" "$((rps * clients))" "$line" "$la0" "$(loadavg1)" >>"$OUT/latency.tsv"
  echo "latency $l on $s at $((rps * clients))/s (half of $max): $(echo "$line" | awk -F'\t' '{print "achieved " $1 "/s, p50 " $2 " ms, p99 " $3 " ms, p99.9 " $4 " ms"}')" >&2
}

# startup_runs NAME JAR STARTS [ENV=VALUE...]: STARTS starts of Tandem on the (migrated) scratch
# database, pinned, $TANDEM_JVM_OPTS: wall time from exec to the first UP of /q/health/ready (polled
# every 20 ms) and Quarkus's "started in"; lines of $OUT/startup.tsv: name start wall quarkus
startup_runs() {
  local name=$1 jar=$2 n=$3 i port pid t0 wall q
  shift 3
  local env=("$@") e
  mkdir -p "$OUT/raw"
  for e in "${env[@]}"; do
    [[ $e == TANDEM_AUTH_ENABLED=true ]] && { jwt; env+=(MP_JWT_VERIFY_PUBLICKEY_LOCATION="$OUT/jwt/public.pem" MP_JWT_VERIFY_ISSUER="$JWT_ISSUER"); }
  done
  for i in $(seq 1 "$n"); do
    port=$(free_port)
    t0=$(date +%s%N)
    # shellcheck disable=SC2086
    env "${TANDEM_ENV[@]}" QUARKUS_HTTP_PORT="$port" "${env[@]}" \
      taskset -c "$SERVER_CPU" "$JAVA" $TANDEM_JVM_OPTS -jar "$jar" >"$OUT/raw/start-$name-$i.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
      kill -0 "$pid" 2>/dev/null || die "start $i of $name: the server exited; see $OUT/raw/start-$name-$i.log"
      (($(date +%s%N) - t0 < 180000000000)) || die "start $i of $name: not ready after 180 s"
      sleep 0.02
    done
    wall=$(awk -v d="$(($(date +%s%N) - t0))" 'BEGIN { printf "%.2f", d / 1e9 }')
    stop_pid "$pid"
    q=$(grep -o 'started in [0-9.]*s' "$OUT/raw/start-$name-$i.log" | grep -o '[0-9.]*' | head -1)
    printf '%s\t%s\t%s\t%s\n' "$name" "$i" "$wall" "${q:--}" >>"$OUT/startup.tsv"
    echo "start $i of $name: ready after $wall s (Quarkus: started in ${q:-?} s)" >&2
  done
}

# --- async-profiler ------------------------------------------------------------------------------
# async_profiler: tools.profiler:async-profiler (Maven Central, $ASYNC_PROFILER_VERSION [4.2]), its
# linux-x64/libasyncProfiler.so extracted into target/bench/async-profiler-<version>/; sets ASPROF_LIB
async_profiler() {
  local v=${ASYNC_PROFILER_VERSION:-4.2}
  local dir=$ROOT/target/bench/async-profiler-$v
  ASPROF_LIB=$dir/linux-x64/libasyncProfiler.so
  [[ -f $ASPROF_LIB ]] && return 0
  [[ $(uname -m) == x86_64 ]] || die "async-profiler: this script extracts linux-x64 only"
  mkdir -p "$dir"
  log "fetching tools.profiler:async-profiler:$v"
  ./mvnw -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$v" -DoutputDirectory="$dir" >&2
  (cd "$dir" && unzip -q -o "async-profiler-$v.jar" linux-x64/libasyncProfiler.so)
  [[ -f $ASPROF_LIB ]] || die "no linux-x64/libasyncProfiler.so in async-profiler-$v.jar"
}

# asprof PID COMMAND: an async-profiler command (start,event=cpu,... / dump,... / stop,...) in the
# running JVM PID, loaded as an agent by jcmd JVMTI.agent_load (what asprof/jattach do; the option
# string is quoted, or jcmd would read its "file=..." as a jcmd option). async-profiler prints its
# own errors to the JVM's standard output (the server log).
asprof() {
  local out
  out=$("${JDK_BIN}jcmd" "$1" JVMTI.agent_load "$ASPROF_LIB" "\"$2\"" 2>&1) || die "async-profiler '$2' in $1: $out"
  ! grep -qi 'error\|return code: [1-9]' <<<"$out" || die "async-profiler '$2' in $1: $out"
}

# startup_breakdown NAME JAR [ENV=VALUE...]: one more start of Tandem with io.quarkus at DEBUG in a
# plain-text log with dates, and async-profiler (cpu, 1 ms) from the JVM's first instruction until
# /q/health/ready; writes $OUT/startup-NAME.md (bench/profile_summary.py startup), the flame graph
# $OUT/startup-NAME.html and the collapsed stacks. The profiler slows the start, so this run (only)
# gives the database more time: acquisition timeout 20 s, login timeout 10 s (Tandem's 2 s and 1 s
# fail Flyway's first connection when the machine is busy).
startup_breakdown() {
  local name=$1 jar=$2 port pid t0 ready f=$OUT/startup-$1
  shift 2
  async_profiler
  port=$(free_port)
  t0=$(date +%s%3N)
  # shellcheck disable=SC2086
  env "${TANDEM_ENV[@]}" QUARKUS_HTTP_PORT="$port" "$@" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
    QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT=20S QUARKUS_DATASOURCE_JDBC_LOGIN_TIMEOUT=10S \
    QUARKUS_LOG_CONSOLE_FORMAT='%d{yyyy-MM-dd HH:mm:ss,SSS} %-5p [%c] (%t) %s%e%n' QUARKUS_LOG_CATEGORY__IO_QUARKUS__LEVEL=DEBUG \
    taskset -c "$SERVER_CPU" "$JAVA" $TANDEM_JVM_OPTS -agentpath:"$ASPROF_LIB"=start,event=cpu,interval=1ms,threads \
    -jar "$jar" >"$f.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "the start-up profile run exited; see $f.log"
    (($(date +%s%3N) - t0 < 180000)) || die "the start-up profile run was not ready after 180 s"
    sleep 0.02
  done
  ready=$(date +%s%3N)
  asprof "$pid" "dump,threads,flamegraph,file=$f.html"
  asprof "$pid" "stop,threads,collapsed,file=$f.collapsed"
  stop_pid "$pid"
  python3 bench/profile_summary.py startup "$f.log" "$t0" "$ready" "$f.collapsed" >"$f.md"
  echo "start-up breakdown: $f.md, flame graph $f.html" >&2
}
