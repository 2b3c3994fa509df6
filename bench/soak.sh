#!/usr/bin/env bash
# bench/soak.sh: the soak benchmark of issue 7. $SOAK_SECONDS s (5 min) of
# GetUserById{id: 1} over both protocols at once, at 80 % of the measured
# maximum: zero failed calls, and memory that stays flat.
#
# 1. Tandem (product jar, $TANDEM_JVM_OPTS) pinned to CPU $SERVER_CPU; warm-up.
# 2. Maximum rate of each protocol alone, $DURATION s: gRPC h2load -c2 -m25,
#    REST wrk -c50.
# 3. Both at once for $SOAK_SECONDS s, from CPU $CLIENT_CPU, each offered 40 %
#    of its own maximum (together 80 % of the server's capacity), with h2load's
#    rate limiter (10 clients each; REST with --h1).
# 4. Zero failed calls, counted twice: by the clients (h2load: 0 failed, 0
#    errored, only 2xx) and by the server: Tandem's own per-RPC counter
#    tandem_rpc_server_seconds_count (/q/metrics) must have grown by exactly
#    the number of calls the clients completed, all with code OK (a gRPC error
#    is HTTP 200 to h2load, but not OK to the counter).
# 5. Flat memory: RSS and the heap used after the last GC (jcmd GC.heap_info)
#    sampled every 10 s; the last minute's highest RSS may not exceed the first
#    minute's by more than 10 %.
# Usage: bench/soak.sh   (SOAK_SECONDS [300]; see bench/lib.sh for the rest)
source "$(dirname "$0")/lib.sh"
SOAK_SECONDS=${SOAK_SECONDS:-300}
JDK_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}
bench_init soak
build_product
database
proto_includes
start_tandem "$PRODUCT_JAR"
URL_GRPC=$BASE/user.v1.UserService/GetUserById
URL_REST=$BASE/v1/users/1
grpc_frame user user.v1.GetUserRequest user/v1/user.proto 'id: 1'
grpc_once user "$URL_GRPC" >/dev/null

log "warming up and measuring the maximum (${WARMUP}s + ${DURATION}s each)"
h2load_grpc "$OUT/warmup-grpc.txt" "$WARMUP" user "$URL_GRPC"
wrk_warmup "$OUT/warmup-rest.txt" "$WARMUP" "$URL_REST"
check "$OUT/warmup-rest.txt" warmup
h2load_grpc "$OUT/max-grpc.txt" "$DURATION" user "$URL_GRPC"
check "$OUT/max-grpc.txt"
wrk_load "$OUT/max-rest.txt" "$DURATION" "$URL_REST"
check "$OUT/max-rest.txt"
MAX_GRPC=$(rate "$OUT/max-grpc.txt") MAX_REST=$(rate "$OUT/max-rest.txt")
RPS_GRPC=$(awk -v m="$MAX_GRPC" 'BEGIN { r = int(m * 0.4 / 10); print (r < 1 ? 1 : r) }')
RPS_REST=$(awk -v m="$MAX_REST" 'BEGIN { r = int(m * 0.4 / 10); print (r < 1 ? 1 : r) }')

# ok_calls PROTOCOL: tandem_rpc_server_seconds_count of GetUserById with code OK; bad_calls: any other code
ok_calls() {
  curl -fs "$BASE/q/metrics" | awk -v p="protocol=\"$1\"" '/^tandem_rpc_server_seconds_count\{/ && index($0, p) &&
    index($0, "method=\"GetUserById\"") && index($0, "code=\"OK\"") { s += $2 } END { printf "%d", s }'
}
bad_calls() {
  curl -fs "$BASE/q/metrics" | awk '/^tandem_rpc_server_seconds_count\{/ && !index($0, "code=\"OK\"") { s += $2 } END { printf "%d", s }'
}
OK_GRPC0=$(ok_calls grpc) OK_REST0=$(ok_calls rest) BAD0=$(bad_calls)

log "soak: ${SOAK_SECONDS}s, gRPC at $((RPS_GRPC * 10)) req/s (40 % of $MAX_GRPC) and REST at $((RPS_REST * 10)) req/s (40 % of $MAX_REST)"
# -n (a number of calls at the rate), not -D: at the end of a -D run h2load resets the calls still
# in flight, which the server rightly counts as CANCELLED
taskset -c "$CLIENT_CPU" h2load -t1 -c10 -m10 --rps="$RPS_GRPC" -n"$((RPS_GRPC * 10 * SOAK_SECONDS))" \
  -H 'content-type: application/grpc' -H 'te: trailers' -d "$OUT/user.grpc" "$URL_GRPC" >"$OUT/soak-grpc.txt" 2>&1 &
G=$!
taskset -c "$CLIENT_CPU" h2load -t1 -c10 -m10 --rps="$RPS_REST" -n"$((RPS_REST * 10 * SOAK_SECONDS))" --h1 "$URL_REST" \
  >"$OUT/soak-rest.txt" 2>&1 &
R=$!
echo "seconds rss_mib heap_used_kib" >"$OUT/memory.txt"
start=$(date +%s)
while kill -0 "$G" 2>/dev/null || kill -0 "$R" 2>/dev/null; do
  heap=$("${JDK_BIN}jcmd" "$TANDEM_PID" GC.heap_info 2>/dev/null | sed -n 's/.*total [0-9]*K, used \([0-9]*\)K.*/\1/p' | awk '{ s += $1 } END { print s }')
  echo "$(($(date +%s) - start)) $(rss_mib "$TANDEM_PID") $heap" >>"$OUT/memory.txt"
  sleep 10
done
wait "$G" || true
wait "$R" || true
check "$OUT/soak-grpc.txt"
check "$OUT/soak-rest.txt"
sleep 1
DONE_GRPC=$(sed -n 's/^requests: .* \([0-9]*\) succeeded,.*/\1/p' "$OUT/soak-grpc.txt")
DONE_REST=$(sed -n 's/^requests: .* \([0-9]*\) succeeded,.*/\1/p' "$OUT/soak-rest.txt")
OK_GRPC=$(($(ok_calls grpc) - OK_GRPC0)) OK_REST=$(($(ok_calls rest) - OK_REST0)) BAD=$(($(bad_calls) - BAD0))
((BAD == 0)) || die "the server counted $BAD calls that did not end OK: $(curl -fs "$BASE/q/metrics" | grep '^tandem_rpc_server_seconds_count{' | grep -v 'code="OK"')"
((OK_GRPC == DONE_GRPC)) || die "gRPC: the client completed $DONE_GRPC calls, the server counted $OK_GRPC OK"
((OK_REST == DONE_REST)) || die "REST: the client completed $DONE_REST calls, the server counted $OK_REST OK"
read -r FIRST LAST < <(python3 - "$OUT/memory.txt" <<'PY'
import sys
rows = [list(map(float, l.split()[:2])) for l in open(sys.argv[1]).readlines()[1:] if len(l.split()) >= 2]
end = rows[-1][0]
print(int(max(r for t, r in rows if t <= 60)), int(max(r for t, r in rows if t >= end - 60)))
PY
)
awk -v f="$FIRST" -v l="$LAST" 'BEGIN { exit !(l <= f * 1.10) }' ||
  die "memory grew: highest RSS $FIRST MiB in the first minute, $LAST MiB in the last"

{
  echo "# Soak: GetUserById over both protocols at 80 % of the maximum for ${SOAK_SECONDS}s (bench/soak.sh)"
  versions
  echo
  echo "| protocol | max req/s | offered req/s | calls completed | server-counted OK | failed |"
  echo "| --- | --- | --- | --- | --- | --- |"
  echo "| gRPC | $MAX_GRPC | $((RPS_GRPC * 10)) | $DONE_GRPC | $OK_GRPC | 0 |"
  echo "| REST | $MAX_REST | $((RPS_REST * 10)) | $DONE_REST | $OK_REST | 0 |"
  echo
  echo "memory (RSS MiB; heap used KiB), every 10 s: $(awk 'NR > 1 { printf "%s:%s/%s ", $1, $2, $3 }' "$OUT/memory.txt")"
  echo "highest RSS: first minute $FIRST MiB, last minute $LAST MiB (limit: +10 %)"
} | tee "$OUT/summary.txt"
