#!/usr/bin/env bash
# bench/rest.sh: REST throughput of Tandem's transcoder against two peers, in
# the same run, with wrk (1 thread, 50 connections) from CPU $CLIENT_CPU:
#
#   GET  /v1/greeter/World   Tandem | hand-written JAX-RS | grpc-gateway v1 -> Tandem gRPC
#   GET  /v1/users/1         Tandem | hand-written JAX-RS | grpc-gateway v1 -> Tandem gRPC
#   POST /v1/users           Tandem |                     | grpc-gateway v1 -> Tandem gRPC
#
# - Tandem: the bench-only build (./mvnw -Pbench, target-bench/), which is the
#   product plus bench/handwritten: the hand-written endpoints live in the same
#   process, so both see the same JVM, database pool and CPU (CPU $SERVER_CPU).
# - grpc-gateway v1 (Debian's golang-grpc-gateway, GOPATH mode, offline),
#   generated from Tandem's own protos (bench/peers/grpc-gateway/main.go; with
#   allow_repeated_fields_in_body=true, without which v1 refuses the
#   response_body "users" of GetAllUsers),
#   pinned to CPU $SERVER_CPU too, proxying over one HTTP/2 connection to
#   Tandem's gRPC port: the gateway and the service it fronts share the core,
#   as a sidecar shares a pod's CPU.
# - POST /v1/users creates a new user per request (bench/post-user.lua); the
#   gateway's calls reach the same Tandem and database.
# Every measurement must have no socket error and no non-2xx response.
# Usage: bench/rest.sh   (see bench/lib.sh for DURATION, ROUNDS, ...)
source "$(dirname "$0")/lib.sh"
bench_init rest
need_packages golang-go golang-grpc-gateway golang-github-grpc-ecosystem-grpc-gateway-dev golang-google-grpc-dev \
  golang-google-genproto-dev golang-goprotobuf-dev protoc-gen-go-1-3
build_product # for the .proto includes
build_bench
database
proto_includes

# --- the grpc-gateway peer --------------------------------------------------------
log "building the grpc-gateway v1 peer ($(dpkg-query -W -f='${Version}' golang-grpc-gateway))"
GW=$OUT/gateway
SRC=$GW/gopath/src/tandem/bench
mkdir -p "$SRC/gateway"
M=Mgoogle/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty
M=$M,Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp
M=$M,Mgoogle/protobuf/field_mask.proto=google.golang.org/genproto/protobuf/field_mask
M=$M,Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations
M=$M,Mgoogle/api/field_behavior.proto=google.golang.org/genproto/googleapis/api/annotations
M=$M,Mhelloworld/helloworld.proto=tandem/bench/helloworld,Muser/v1/user.proto=tandem/bench/user/v1
M=$M,Morders/v1/order.proto=tandem/bench/orders/v1,Mbuf/validate/validate.proto=tandem/bench/bufvalidate
M=$M,Mgoogle/protobuf/descriptor.proto=github.com/golang/protobuf/protoc-gen-go/descriptor
M=$M,Mgoogle/protobuf/duration.proto=github.com/golang/protobuf/ptypes/duration
# protovalidate's rules are options, but protoc-gen-go still imports their package
if [[ -f $OUT/include/buf/validate/validate.proto ]]; then
  "${PROTOC[@]}" --go_out=paths=source_relative,$M:"$GW" buf/validate/validate.proto
  mkdir -p "$SRC/bufvalidate" && mv "$GW/buf/validate/validate.pb.go" "$SRC/bufvalidate/"
fi
"${PROTOC[@]}" --go_out=plugins=grpc,paths=source_relative,$M:"$SRC" orders/v1/order.proto
for p in helloworld/helloworld.proto user/v1/user.proto; do
  "${PROTOC[@]}" --go_out=plugins=grpc,paths=source_relative,$M:"$SRC" \
    --grpc-gateway_out=logtostderr=true,allow_repeated_fields_in_body=true,paths=source_relative,$M:"$SRC" "$p"
done
cp bench/peers/grpc-gateway/main.go "$SRC/gateway/"
(cd "$SRC/gateway" && GO111MODULE=off GOPATH="$GW/gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= go build -o "$GW/bench-gateway" .)

# --- servers -------------------------------------------------------------------------
start_tandem "$BENCH_JAR"
GW_PORT=$(free_port)
taskset -c "$SERVER_CPU" "$GW/bench-gateway" -listen "127.0.0.1:$GW_PORT" -backend "127.0.0.1:$TANDEM_PORT" >"$OUT/gateway.log" 2>&1 &
PIDS+=($!)
await_ready "$!" "http://127.0.0.1:$GW_PORT/v1/greeter/ready" "$OUT/gateway.log"
GWB=http://127.0.0.1:$GW_PORT

declare -A URL=(
  [greeter/tandem]=$BASE/v1/greeter/World [greeter/handwritten]=$BASE/bench/handwritten/greeter/World
  [greeter/grpc-gateway]=$GWB/v1/greeter/World
  [user/tandem]=$BASE/v1/users/1 [user/handwritten]=$BASE/bench/handwritten/users/1 [user/grpc-gateway]=$GWB/v1/users/1
  [create/tandem]=$BASE/v1/users [create/grpc-gateway]=$GWB/v1/users
)
LOADS=(greeter/tandem greeter/handwritten greeter/grpc-gateway user/tandem user/handwritten user/grpc-gateway
  create/tandem create/grpc-gateway)
for l in "${LOADS[@]}"; do
  [[ $l == create/* ]] && continue
  curl -fs "${URL[$l]}" >"$OUT/body-${l//\//-}.json" || die "${URL[$l]} failed"
done
cmp -s "$OUT/body-user-tandem.json" "$OUT/body-user-handwritten.json" ||
  die "the hand-written GET /users/1 differs from Tandem's: $(cat "$OUT/body-user-handwritten.json")"
cmp -s "$OUT/body-greeter-tandem.json" "$OUT/body-greeter-handwritten.json" || die "the hand-written greeter differs"
echo "hand-written endpoints answer byte-identical JSON to the transcoded routes" >&2

# load FILE SECONDS LOAD [warmup]
load() {
  if [[ $3 != create/* && ${4:-} == warmup ]]; then
    wrk_warmup "$1" "$2" "${URL[$3]}"
  elif [[ $3 == create/* ]]; then
    taskset -c "$CLIENT_CPU" wrk -t1 -c50 -d"$2s" -s bench/post-user.lua "${URL[$3]}" -- "${3#create/}-$RANDOM" >"$1" 2>&1 || true
  else
    wrk_load "$1" "$2" "${URL[$3]}"
  fi
}
log "warming up: ${WARMUP}s each"
for l in "${LOADS[@]}"; do load "$OUT/warmup-${l//\//-}.txt" "$WARMUP" "$l" warmup; check "$OUT/warmup-${l//\//-}.txt" warmup; done
declare -A RATES
log "measuring: $ROUNDS rounds of ${DURATION}s"
for r in $(seq 1 "$ROUNDS"); do
  line="round $r:"
  for l in "${LOADS[@]}"; do
    f=$OUT/round$r-${l//\//-}.txt
    load "$f" "$DURATION" "$l"
    check "$f"
    RATES[$l]+="$(rate "$f") "
    line+=" $l $(rate "$f")"
  done
  echo "$line" >&2
done

{
  echo "# REST: Tandem's transcoder vs a hand-written endpoint and grpc-gateway (bench/rest.sh)"
  versions
  echo "grpc-gateway: golang-grpc-gateway $(dpkg-query -W -f='${Version}' golang-grpc-gateway), $(go version | awk '{print $3}'), runtime.NewServeMux() defaults, on CPU $SERVER_CPU with Tandem"
  echo "load: wrk -t1 -c50; no socket error, no non-2xx response in any measurement"
  echo
  echo "| route | server | req/s per round | median | Tandem / this |"
  echo "| --- | --- | --- | --- | --- |"
  for l in "${LOADS[@]}"; do
    route=${l%/*} m=$(median <<<"${RATES[$l]}") t=$(median <<<"${RATES[${l%/*}/tandem]}")
    echo "| $route | ${l#*/} | ${RATES[$l]}| $m | $(ratio "$t" "$m") |"
  done
} | tee "$OUT/summary.txt"
