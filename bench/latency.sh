#!/usr/bin/env bash
# bench/latency.sh: latency percentiles of GetUserById{id: 1} over both
# protocols at a fixed offered load of half the measured maximum, and Tandem's
# resident memory at idle and under load.
#
# 1. Start Tandem (product jar, one-port mode, $TANDEM_JVM_OPTS) pinned to CPU
#    $SERVER_CPU; RSS at idle once ready ("idle, cold").
# 2. Warm up, then measure the maximum rate of each load (gRPC: h2load -c2
#    -m25; REST: wrk -c50) for $DURATION s, sampling RSS every 0.5 s ("under
#    load": the highest sample).
# 3. Offer half of that maximum for $LAT_SECONDS s with h2load's rate limiter
#    (--rps per client, 10 clients; REST over HTTP/1.1 with --h1) and log every
#    request's latency (--log-file, µs); p50/p99/p99.9 come from that log
#    (h2load prints none). h2load paces each client (it is not a coordinated-
#    omission-free open loop like wrk2, which Debian lacks): a stall delays the
#    next sends, so the high percentiles are if anything flattered; the
#    achieved rate is printed next to the target to show the load was offered.
# 4. RSS at idle again, 10 s after the load ("idle, after load").
# Usage: bench/latency.sh   (LAT_SECONDS [20]; see bench/lib.sh for the rest)
source "$(dirname "$0")/lib.sh"
LAT_SECONDS=${LAT_SECONDS:-20}
bench_init latency
build_product
database
proto_includes
start_tandem "$PRODUCT_JAR"
sleep 2
RSS_IDLE_COLD=$(rss_mib "$TANDEM_PID")
URL_GRPC=$BASE/user.v1.UserService/GetUserById
URL_REST=$BASE/v1/users/1
grpc_frame user user.v1.GetUserRequest user/v1/user.proto 'id: 1'
FRAME=$(grpc_once user "$URL_GRPC")

# rss_watch FILE: samples Tandem's RSS (MiB) every 0.5 s into FILE until killed
rss_watch() { while kill -0 "$TANDEM_PID" 2>/dev/null; do rss_mib "$TANDEM_PID" >>"$1"; echo >>"$1"; sleep 0.5; done; }

log "warming up: ${WARMUP}s each"
h2load_grpc "$OUT/warmup-grpc.txt" "$WARMUP" user "$URL_GRPC"
check "$OUT/warmup-grpc.txt"
wrk_warmup "$OUT/warmup-rest.txt" "$WARMUP" "$URL_REST"
check "$OUT/warmup-rest.txt" warmup

log "maximum rate, ${DURATION}s each, RSS sampled"
rss_watch "$OUT/rss-load.txt" &
WATCH=$!
h2load_grpc "$OUT/max-grpc.txt" "$DURATION" user "$URL_GRPC"
check "$OUT/max-grpc.txt"
wrk_load "$OUT/max-rest.txt" "$DURATION" "$URL_REST"
check "$OUT/max-rest.txt"
MAX_GRPC=$(rate "$OUT/max-grpc.txt") MAX_REST=$(rate "$OUT/max-rest.txt")

# fixed LABEL MAX [h2load options]: half of MAX offered by 10 clients; prints "target achieved p50 p99 p99.9"
fixed() {
  local label=$1 max=$2
  shift 2
  local rps=$(awk -v m="$max" 'BEGIN { r = int(m / 2 / 10); print (r < 1 ? 1 : r) }')
  taskset -c "$CLIENT_CPU" h2load -t1 -c10 -m10 --rps="$rps" -D"$LAT_SECONDS" --log-file="$OUT/lat-$label.log" "$@" \
    >"$OUT/lat-$label.txt" 2>&1 || true
  check "$OUT/lat-$label.txt"
  python3 - "$OUT/lat-$label.log" "$((rps * 10))" "$LAT_SECONDS" <<'PY'
import sys
lat = []
for line in open(sys.argv[1]):
    f = line.split()
    if len(f) >= 3 and f[1] == "200":
        lat.append(int(f[2]))
lat.sort()
def p(q):
    return lat[min(len(lat) - 1, int(q * len(lat)))] / 1000
print(f"{sys.argv[2]} {len(lat) / float(sys.argv[3]):.0f} {p(0.5):.2f} {p(0.99):.2f} {p(0.999):.2f} {len(lat)}")
PY
}
log "latency at half the maximum, ${LAT_SECONDS}s each"
read -r G_T G_A G50 G99 G999 GN < <(fixed grpc "$MAX_GRPC" -H 'content-type: application/grpc' -H 'te: trailers' -d "$OUT/user.grpc" "$URL_GRPC")
read -r R_T R_A R50 R99 R999 RN < <(fixed rest "$MAX_REST" --h1 "$URL_REST")
kill "$WATCH" 2>/dev/null || true
RSS_LOAD=$(sort -n "$OUT/rss-load.txt" | grep . | tail -1)
check_grpc_bytes user "$URL_GRPC" "$FRAME"
sleep 10
RSS_IDLE_AFTER=$(rss_mib "$TANDEM_PID")

{
  echo "# GetUserById latency at half load, and memory (bench/latency.sh)"
  versions
  echo "maximum: gRPC h2load -t1 -c2 -m25, REST wrk -t1 -c50, ${DURATION}s; half load: h2load -c10 -m10 --rps (REST with --h1), ${LAT_SECONDS}s"
  echo
  echo "| protocol | max req/s | offered req/s | achieved req/s | p50 ms | p99 ms | p99.9 ms | calls |"
  echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
  echo "| gRPC GetUserById | $MAX_GRPC | $G_T | $G_A | $G50 | $G99 | $G999 | $GN |"
  echo "| REST GET /v1/users/1 | $MAX_REST | $R_T | $R_A | $R50 | $R99 | $R999 | $RN |"
  echo
  echo "| Tandem RSS (MiB) | idle, cold | under load (max of 0.5 s samples) | idle, 10 s after load |"
  echo "| --- | --- | --- | --- |"
  echo "| $TANDEM_JVM_OPTS | $RSS_IDLE_COLD | $RSS_LOAD | $RSS_IDLE_AFTER |"
} | tee "$OUT/summary.txt"
