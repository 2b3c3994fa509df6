#!/usr/bin/env bash
# bench/grpc-sayhello.sh: gRPC `helloworld.Greeter/SayHello` throughput, Tandem
# against the raw gRPC ceiling: a plain grpc-java Netty hello-world server
# (bench/peers/grpc-java-hello, directExecutor, same grpc-java and protobuf
# versions), both pinned to CPU $SERVER_CPU, measured in the same run.
#
# Tandem is measured twice, one process each: in its default one-port mode
# (gRPC on the Vert.x HTTP server, with REST and health) and with
# QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER=true (gRPC on its own grpc-java
# Netty server, port 9000 by default; here a free port).
#
# Load: h2load -t1 -c2 -m25 (50 calls in flight) from CPU $CLIENT_CPU, after a
# warm-up; then a byte-exact check that no call ended in a gRPC error.
# Usage: bench/grpc-sayhello.sh   (see bench/lib.sh for DURATION, ROUNDS, ...)
# Exit codes: 0 measured and every check passed; 1 a step or a check failed.
source "$(dirname "$0")/lib.sh"
bench_init grpc-sayhello
build_product
log "building the grpc-java peer"
./mvnw -B -q -f bench/peers/grpc-java-hello/pom.xml clean package >&2
database
proto_includes

# the peer
PEER_PORT=$(free_port)
taskset -c "$SERVER_CPU" "$JAVA" -cp "bench/peers/grpc-java-hello/target/classes:$(cat bench/peers/grpc-java-hello/target/classpath.txt)" \
  dev.tandem.bench.peer.HelloServer "$PEER_PORT" >"$OUT/peer.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do grep -q listening "$OUT/peer.log" && break; sleep 0.1; done
grep -q listening "$OUT/peer.log" || die "the grpc-java peer did not start: $(cat "$OUT/peer.log")"

# Tandem, one port (default)
start_tandem "$PRODUCT_JAR"
ONE_PORT=$TANDEM_PORT
mv "$OUT/tandem.log" "$OUT/tandem-one-port.log"
# Tandem, separate gRPC server
SEP_GRPC_PORT=$(free_port)
start_tandem "$PRODUCT_JAR" QUARKUS_GRPC_SERVER_USE_SEPARATE_SERVER=true QUARKUS_GRPC_SERVER_PORT="$SEP_GRPC_PORT" QUARKUS_GRPC_SERVER_HOST=127.0.0.1

grpc_frame hello helloworld.HelloRequest helloworld/helloworld.proto 'name: "World"'
declare -A URL=(
  [grpc-java]=http://127.0.0.1:$PEER_PORT/helloworld.Greeter/SayHello
  [tandem-one-port]=http://127.0.0.1:$ONE_PORT/helloworld.Greeter/SayHello
  [tandem-separate]=http://127.0.0.1:$SEP_GRPC_PORT/helloworld.Greeter/SayHello
)
SERVERS=(grpc-java tandem-one-port tandem-separate)
declare -A FRAME RATES
for s in "${SERVERS[@]}"; do FRAME[$s]=$(grpc_once hello "${URL[$s]}"); done
# the servers share CPU $SERVER_CPU: only the one under load is busy
log "warming up: ${WARMUP}s each"
for s in "${SERVERS[@]}"; do h2load_grpc "$OUT/warmup-$s.txt" "$WARMUP" hello "${URL[$s]}"; check "$OUT/warmup-$s.txt"; done
log "measuring: $ROUNDS rounds of ${DURATION}s"
for r in $(seq 1 "$ROUNDS"); do
  for s in "${SERVERS[@]}"; do
    h2load_grpc "$OUT/round$r-$s.txt" "$DURATION" hello "${URL[$s]}"
    check "$OUT/round$r-$s.txt"
    RATES[$s]+="$(rate "$OUT/round$r-$s.txt") "
  done
  echo "round $r: $(for s in "${SERVERS[@]}"; do printf '%s %s  ' "$s" "$(rate "$OUT/round$r-$s.txt")"; done)" >&2
done
for s in "${SERVERS[@]}"; do check_grpc_bytes hello "${URL[$s]}" "${FRAME[$s]}"; done

{
  echo "# gRPC SayHello: Tandem vs plain grpc-java (bench/grpc-sayhello.sh)"
  versions
  echo "grpc-java peer: $(sed -n 's:.*<grpc.version>\(.*\)</grpc.version>.*:\1:p' bench/peers/grpc-java-hello/pom.xml), NettyServerBuilder.directExecutor()"
  echo "load: h2load -t1 -c2 -m25, ${FRAME[grpc-java]}-byte response frames; no failed call (h2load + byte check of $VERIFY_N calls each)"
  echo
  echo "| server | req/s per round | median | ratio to grpc-java |"
  echo "| --- | --- | --- | --- |"
  PEER=$(median <<<"${RATES[grpc-java]}")
  for s in "${SERVERS[@]}"; do
    m=$(median <<<"${RATES[$s]}")
    echo "| $s | ${RATES[$s]}| $m | $(ratio "$m" "$PEER") |"
  done
} | tee "$OUT/summary.txt"
