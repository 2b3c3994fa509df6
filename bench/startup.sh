#!/usr/bin/env bash
# bench/startup.sh: JVM start-up time of the packaged application (prod
# profile, $TANDEM_JVM_OPTS, pinned to CPU $SERVER_CPU, against a migrated
# database: the steady state of a pod restart), $STARTS times:
#   - wall time from exec to the first UP answer of /q/health/ready (what a
#     Kubernetes readiness probe sees), measured by this script every 20 ms;
#   - Quarkus's own "started in" figure from its log.
# The first start migrates the empty scratch database and is not counted.
# Usage: bench/startup.sh   (STARTS [5]; see bench/lib.sh for the rest)
source "$(dirname "$0")/lib.sh"
STARTS=${STARTS:-5}
bench_init startup
build_product
database
start_tandem "$PRODUCT_JAR" # migrates the database
kill "$TANDEM_PID"
wait "$TANDEM_PID" 2>/dev/null || true
WALL=() QUARKUS=()
for i in $(seq 1 "$STARTS"); do
  port=$(free_port)
  t0=$(date +%s%N)
  # shellcheck disable=SC2086
  env "${TANDEM_ENV[@]}" QUARKUS_HTTP_PORT="$port" \
    taskset -c "$SERVER_CPU" "$JAVA" $TANDEM_JVM_OPTS -jar "$PRODUCT_JAR" >"$OUT/start$i.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  until curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || die "start $i: the server exited; see $OUT/start$i.log"
    (($(date +%s%N) - t0 < 60000000000)) || die "start $i: not ready after 60 s"
    sleep 0.02
  done
  WALL+=("$(awk -v d="$(($(date +%s%N) - t0))" 'BEGIN { printf "%.2f", d / 1e9 }')")
  QUARKUS+=("$(grep -o 'started in [0-9.]*s' "$OUT/start$i.log" | grep -o '[0-9.]*' | head -1)")
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  echo "start $i: ready after ${WALL[-1]} s (Quarkus: started in ${QUARKUS[-1]} s)" >&2
done
{
  echo "# JVM start-up (bench/startup.sh)"
  versions
  echo
  echo "| measure | per start (s) | median (s) |"
  echo "| --- | --- | --- |"
  echo "| exec to /q/health/ready UP | ${WALL[*]} | $(median <<<"${WALL[*]}") |"
  echo "| Quarkus \"started in\" | ${QUARKUS[*]} | $(median <<<"${QUARKUS[*]}") |"
} | tee "$OUT/summary.txt"
