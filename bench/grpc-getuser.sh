#!/usr/bin/env bash
# bench/grpc-getuser.sh: gRPC `user.v1.UserService/GetUserById{id: 1}` (the demo
# user with 3 orders) throughput against the database's own ceiling: pgbench
# running the same two SQL statements in one transaction
# (bench/sql/get-user-by-id.sql), on the same PostgreSQL, in the same run.
#
# Tandem (one-port mode, the default) is pinned to CPU $SERVER_CPU, h2load and
# pgbench to CPU $CLIENT_CPU; PostgreSQL is not pinned. pgbench: -M prepared
# (pgjdbc also uses server-side prepared statements for repeated statements),
# -c 20 (Tandem's pool maximum, quarkus.datasource.jdbc.max-size) -j 1.
# After the measurement Tandem is restarted with Hibernate's SQL log on, and the
# statements of one GetUserById call are compared with the pgbench file.
# Usage: bench/grpc-getuser.sh   (see bench/lib.sh for DURATION, ROUNDS, ...)
source "$(dirname "$0")/lib.sh"
bench_init grpc-getuser
build_product
database
proto_includes
start_tandem "$PRODUCT_JAR"
URL=$BASE/user.v1.UserService/GetUserById
grpc_frame user user.v1.GetUserRequest user/v1/user.proto 'id: 1'
FRAME=$(grpc_once user "$URL")
PGBENCH=(taskset -c "$CLIENT_CPU" /usr/lib/postgresql/*/bin/pgbench -h 127.0.0.1 -U postgres -n -M prepared -c 20 -j 1
  -f bench/sql/get-user-by-id.sql "$DB_NAME")
pgbench_load() { "${PGBENCH[@]}" -T "$2" >"$1" 2>&1 || true; }

log "warming up: ${WARMUP}s each"
h2load_grpc "$OUT/warmup-tandem.txt" "$WARMUP" user "$URL"
check "$OUT/warmup-tandem.txt"
pgbench_load "$OUT/warmup-pgbench.txt" "$WARMUP"
check "$OUT/warmup-pgbench.txt"
declare -A RATES
log "measuring: $ROUNDS rounds of ${DURATION}s"
for r in $(seq 1 "$ROUNDS"); do
  h2load_grpc "$OUT/round$r-tandem.txt" "$DURATION" user "$URL"
  check "$OUT/round$r-tandem.txt"
  pgbench_load "$OUT/round$r-pgbench.txt" "$DURATION"
  check "$OUT/round$r-pgbench.txt"
  RATES[tandem]+="$(rate "$OUT/round$r-tandem.txt") "
  RATES[pgbench]+="$(rate "$OUT/round$r-pgbench.txt") "
  echo "round $r: tandem $(rate "$OUT/round$r-tandem.txt") req/s, pgbench $(rate "$OUT/round$r-pgbench.txt") tps" >&2
done
check_grpc_bytes user "$URL" "$FRAME"

log "checking that pgbench runs the SQL GetUserById runs"
kill "$TANDEM_PID" && wait "$TANDEM_PID" 2>/dev/null || true
start_tandem "$PRODUCT_JAR" QUARKUS_HIBERNATE_ORM_LOG_SQL=true QUARKUS_HIBERNATE_ORM_LOG_FORMAT_SQL=false
grpc_once user "$BASE/user.v1.UserService/GetUserById" >/dev/null
sleep 0.5
norm() { tr -s ' \n' ' ' | sed 's/ *; */;/g; s/, */,/g; s/^ //; s/ $//'; }
sed 's/\x1b\[[0-9;]*m//g' "$OUT/tandem.log" | sed -n 's/^\[Hibernate\] *//p' | grep -i '^select' | tail -2 | sed 's/$/;/' | norm >"$OUT/hibernate.sql"
grep -iv '^\(--\|\\set\|begin\|commit\)' bench/sql/get-user-by-id.sql | sed 's/:id/?/g' | norm >"$OUT/pgbench.sql"
diff "$OUT/hibernate.sql" "$OUT/pgbench.sql" >&2 || die "bench/sql/get-user-by-id.sql is not what GetUserById runs (above: Hibernate's log, then the file)"
echo "GetUserById runs exactly the two statements of bench/sql/get-user-by-id.sql" >&2

{
  echo "# gRPC GetUserById vs pgbench on its SQL (bench/grpc-getuser.sh)"
  versions
  echo "load: h2load -t1 -c2 -m25 (50 in flight), ${FRAME}-byte response frames, no failed call (byte check of $VERIFY_N calls);"
  echo "      pgbench -M prepared -c 20 -j 1 -f bench/sql/get-user-by-id.sql (checked against Hibernate's SQL log), 0 failed transactions"
  echo
  echo "| load | per round | median | ratio |"
  echo "| --- | --- | --- | --- |"
  T=$(median <<<"${RATES[tandem]}") P=$(median <<<"${RATES[pgbench]}")
  echo "| pgbench, transactions/s | ${RATES[pgbench]}| $P | 1 |"
  echo "| Tandem gRPC GetUserById, req/s | ${RATES[tandem]}| $T | $(ratio "$T" "$P") |"
} | tee "$OUT/summary.txt"
