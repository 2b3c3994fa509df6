#!/usr/bin/env bash
# bench/all.sh: every figure of issue 12's goals with its peers, in ONE run, and
# target/bench/all/summary.md (also target/bench/summary.md) with the ratio table.
#
# Servers, all started at once, each pinned to CPU $SERVER_CPU from its start (loads run one at a
# time from CPU $CLIENT_CPU, so only the server under load is busy):
#   tandem          the product jar, default configuration, authentication off (as bin/run), the JVM
#                   options the manifests ship (bench/jvm-opts.py)
#   tandem-auth     the same with authentication on: RS256 bearer tokens (role reader) on every call
#   the peers bench/loads.tsv names: grpc-java-hello (plain grpc-java, directExecutor),
#                   grpc-java-jdbc (plain grpc-java + pgjdbc, fixed pool of 8), armeria (Armeria 1.33,
#                   gRPC + HTTP/JSON transcoding on one port, the same JDBC code), grpc-gateway (v1,
#                   in front of tandem's gRPC), pgbench (the SQL of GetUserById: the database's ceiling)
# Figures:
#   1. throughput of every load of bench/loads.tsv on Tandem (auth off, on) and its peers: before
#      warm-up, every server's answer must be byte-identical to Tandem's (message bytes; gRPC-Web
#      without its trailer frame), and GetUserById's SQL is checked against Hibernate's SQL log
#   2. p99 at half of each protocol's maximum, GetUserById (grpc-user, rest-user; LATENCY_LOADS), on
#      Tandem (auth off, on) and, as the reference, Armeria
#   3. RSS under load (the highest 0.5 s sample while measured), every JVM server
#   4. start-up to /q/health/ready on the migrated database, $STARTS starts each, auth off and on,
#      and where the time goes: the log's timeline with io.quarkus at DEBUG, and a CPU profile of the
#      start-up by Quarkus step and library (bench/startup_breakdown.py)
#
# Usage: bench/all.sh [--with-soak] [LOAD...]    (default: every load of bench/loads.tsv; environment:
#        bench/lib.sh, plus STARTS [5], LATENCY_LOADS ["grpc-user rest-user"], NO_STARTUP=1 skips
#        figure 4); --with-soak then runs bench/soak.sh (issue 7, 5 more minutes) and appends its summary
# With the defaults (WARMUP 10 s rounds up to 120 s, 3 rounds of 10 s) about 25-40 minutes.
# Exit codes: 0 every figure measured and every check passed; 1 a step or a check failed.
source "$(dirname "$0")/lib.sh"
STARTS=${STARTS:-5}
SOAK=
[[ ${1:-} == --with-soak ]] && { SOAK=1; shift; }
LATENCY_LOADS=${LATENCY_LOADS:-grpc-user rest-user}
bench_init all
build_product
database
proto_includes
load_table
FIGURES=("$@")
((${#FIGURES[@]})) || FIGURES=("${LOADS[@]}")
for l in "${FIGURES[@]}"; do [[ -n ${L_PROTO[$l]:-} ]] || die "no load $l in bench/loads.tsv"; done
versions >"$OUT/versions.txt"

# GetUserById's SQL: the statements one call runs (Hibernate's log) must be those of the SQL file
# that pgbench and the JDBC peers run
check_sql() {
  tandem_server sql-check "$PRODUCT_JAR" QUARKUS_HIBERNATE_ORM_LOG_SQL=true QUARKUS_HIBERNATE_ORM_LOG_FORMAT_SQL=false \
    QUARKUS_LOG_CONSOLE_JSON_ENABLED=false
  L_PROTO[sql-check]=grpc L_PATH[sql-check]=/user.v1.UserService/GetUserById L_REQ[sql-check]='user.v1.GetUserRequest id: 1'
  request_files sql-check
  probe sql-check sql-check
  local i
  for i in $(seq 1 50); do grep -q 'from orders' "${S_LOG[sql-check]}" && break; sleep 0.1; done
  stop_server sql-check
  local keep=() s
  for s in "${SERVERS[@]}"; do [[ $s == sql-check ]] || keep+=("$s"); done
  SERVERS=("${keep[@]}")
  norm() { tr -s ' \n' ' ' | sed 's/ *; */;/g; s/, */,/g; s/^ //; s/ $//'; }
  sed 's/\x1b\[[0-9;]*m//g' "${S_LOG[sql-check]}" | sed -n 's/^\[Hibernate\] *//p' | grep -i '^select' | tail -2 | sed 's/$/;/' | norm >"$OUT/hibernate.sql"
  grep -iv '^\(--\|\\set\|begin\|commit\)' "$GET_USER_SQL" | sed 's/:id/?/g' | norm >"$OUT/file.sql"
  diff "$OUT/hibernate.sql" "$OUT/file.sql" >&2 || die "$GET_USER_SQL is not what GetUserById runs (above: Hibernate's log, then the file)"
  echo "GetUserById runs exactly the two statements of $GET_USER_SQL" >&2
}
if printf '%s\n' "${FIGURES[@]}" | grep -qx grpc-user || printf '%s\n' "${FIGURES[@]}" | grep -qx rest-user; then check_sql; fi

# --- servers ---------------------------------------------------------------------------------------
tandem_server tandem "$PRODUCT_JAR"
tandem_server tandem-auth "$PRODUCT_JAR" TANDEM_AUTH_ENABLED=true
declare -A started
for l in "${FIGURES[@]}"; do
  for p in ${L_PEERS[$l]}; do
    [[ -n ${started[$p]:-} ]] && continue
    started[$p]=1
    case $p in
      grpc-gateway) gateway_server grpc-gateway tandem ;;
      pgbench) pgbench_server pgbench ;;
      *) peer_server "$p" ;;
    esac
  done
done
[[ -n ${started[armeria]:-} ]] || { for l in $LATENCY_LOADS; do printf '%s\n' "${FIGURES[@]}" | grep -qx "$l" && { peer_server armeria; break; }; done; }
for s in "${SERVERS[@]}"; do printf '%s\t%s\t%s\n' "$s" "${S_KIND[$s]}" "${S_DESC[$s]}"; done >"$OUT/servers.tsv"

# --- 1. throughput ---------------------------------------------------------------------------------
for l in "${FIGURES[@]}"; do
  # shellcheck disable=SC2086
  bench_load "$l" tandem tandem-auth ${L_PEERS[$l]}
done

# --- 2. latency at half load -----------------------------------------------------------------------
for l in $LATENCY_LOADS; do
  printf '%s\n' "${FIGURES[@]}" | grep -qx "$l" || continue
  for s in tandem tandem-auth armeria; do
    [[ -n ${S_PID[$s]:-} ]] || continue
    grep -q "^round	$l	$s	" "$OUT/rounds.tsv" || { bench_load "$l" "$s"; }
    latency "$l" "$s"
  done
done

# --- 4. start-up -----------------------------------------------------------------------------------
for s in "${SERVERS[@]}"; do stop_server "$s"; done
if [[ -z ${NO_STARTUP:-} ]]; then
  log "start-up: $STARTS starts each (the database is migrated)"
  startup_runs tandem "$PRODUCT_JAR" "$STARTS"
  startup_runs tandem-auth "$PRODUCT_JAR" "$STARTS" TANDEM_AUTH_ENABLED=true
  log "start-up: where the time goes (one start with io.quarkus at DEBUG and async-profiler)"
  startup_breakdown tandem "$PRODUCT_JAR"
fi

python3 bench/report.py all "$OUT" >"$OUT/summary.md"
if [[ -n $SOAK ]]; then
  log "bench/soak.sh"
  bench/soak.sh >&2
  { echo; echo "## Soak (bench/soak.sh)"; echo; sed 's/^# .*//' "$ROOT/target/bench/soak/summary.txt"; } >>"$OUT/summary.md"
fi
cp "$OUT/summary.md" "$ROOT/target/bench/summary.md"
cat "$OUT/summary.md"
echo "summary: target/bench/summary.md (raw output: $OUT)" >&2
