#!/usr/bin/env bash
# conformance/run-grpc-gateway.sh: run every transcoding conformance case
# (src/test/resources/conformance/*.json) against grpc-gateway v1 and against
# Tandem, and write a report of where they differ.
#
# What it does, from the repository root:
#   1. Installs what it needs from Debian's packages when missing (needs root
#      then): Go 1.19, grpc-gateway v1 (runtime sources and protoc plugin),
#      grpc-go, golang/protobuf 1.3 (jsonpb, protoc-gen-go), genproto, protoc.
#      Everything builds offline in GOPATH mode (GO111MODULE=off, GOPROXY=off).
#   2. Copies src/test/proto/tandem/conformance/v1/conformance.proto to
#      target/grpc-gateway/proto with the one change the plugins need (printed
#      as a diff): proto3 `optional` fields become the equivalent one-field
#      oneofs (protoc-gen-go 1.3 and grpc-gateway 1.6.4 predate proto3
#      optional, and protoc refuses to give it to them).
#   3. Generates the Go code (protoc-gen-go plugins=grpc, protoc-gen-grpc-gateway
#      with allow_repeated_fields_in_body=true: its one non-default option,
#      without which the generator refuses the contract's repeated `body` and
#      `response_body` fields) and builds conformance/grpc-gateway/main.go into
#      target/grpc-gateway/conformance-gateway: a Go gRPC backend with the
#      semantics of ConformanceGrpcService behind runtime.NewServeMux() with v1's
#      defaults, over a real loopback gRPC connection.
#   4. Starts it on free loopback ports (stopped when the script exits).
#   5. Runs the cases against Tandem: `./mvnw test -Dtest=ConformanceResultsTest`
#      (a @QuarkusTest, so it needs PostgreSQL as `./mvnw verify` does), which
#      writes target/conformance/tandem.json.
#   6. Runs the cases against the gateway with
#      `java -cp target/test-classes:target/classes:<test classpath>
#       dev.tandem.conformance.ConformanceReport`, which writes
#      target/conformance/grpc-gateway.json and target/conformance/report.md.
#   7. Records tool versions in target/conformance/versions.txt.
#
# Usage: conformance/run-grpc-gateway.sh
# Environment:
#   JAVA_HOME                        JDK to use (else java on the PATH)
#   _TEST_QUARKUS_DATASOURCE_JDBC_URL  database for step 5 (default: the test
#                                    profile's jdbc:postgresql://127.0.0.1:5432/test)
# Exit codes: 0 report written (whatever the cases' outcomes); 1 a step failed.
# Not part of .ci/run: it installs packages and takes a few minutes.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
GW=$ROOT/target/grpc-gateway
OUT=$ROOT/target/conformance
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
GOCODE=/usr/share/gocode/src
GA=$GOCODE/github.com/grpc-ecosystem/grpc-gateway/third_party/googleapis
PACKAGES=(golang-go golang-grpc-gateway golang-github-grpc-ecosystem-grpc-gateway-dev
  golang-google-grpc-dev golang-google-protobuf-dev golang-google-genproto-dev
  golang-goprotobuf-dev protoc-gen-go-1-3 protobuf-compiler)

log() { printf '\n== %s\n' "$*"; }

# --- 1. packages -------------------------------------------------------------
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  log "installing ${missing[*]}"
  if [[ $(id -u) != 0 ]]; then
    echo "run as root, or install: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# --- 2. the peer's copy of the contract --------------------------------------
log "preparing the proto for grpc-gateway $(dpkg-query -W -f='${Version}' golang-grpc-gateway)"
rm -rf "$GW" && mkdir -p "$GW/proto/tandem/conformance/v1" "$GW/gopath/src/tandem/conformance/gateway" "$OUT"
SRC=src/test/proto/tandem/conformance/v1/conformance.proto
PEER=$GW/proto/tandem/conformance/v1/conformance.proto
sed -E 's/^([[:space:]]*)optional ([A-Za-z0-9_.]+) ([a-z0-9_]+) = ([0-9]+);/\1oneof _\3 { \2 \3 = \4; }/' "$SRC" >"$PEER"
diff -u "$SRC" "$PEER" | sed -n '3,$p' | grep '^[-+]' || true

# --- 3. generate and build -----------------------------------------------------
log "generating Go code and building target/grpc-gateway/conformance-gateway"
# Well-known types: golang/protobuf 1.3's ptypes and genproto's field_mask (the
# .proto files' own go_package names APIv2 packages, which jsonpb 1.3 cannot use).
M=Mgoogle/protobuf/any.proto=github.com/golang/protobuf/ptypes/any
M=$M,Mgoogle/protobuf/duration.proto=github.com/golang/protobuf/ptypes/duration
M=$M,Mgoogle/protobuf/empty.proto=github.com/golang/protobuf/ptypes/empty
M=$M,Mgoogle/protobuf/struct.proto=github.com/golang/protobuf/ptypes/struct
M=$M,Mgoogle/protobuf/timestamp.proto=github.com/golang/protobuf/ptypes/timestamp
M=$M,Mgoogle/protobuf/wrappers.proto=github.com/golang/protobuf/ptypes/wrappers
M=$M,Mgoogle/protobuf/field_mask.proto=google.golang.org/genproto/protobuf/field_mask
M=$M,Mgoogle/api/annotations.proto=google.golang.org/genproto/googleapis/api/annotations
(cd "$GW/proto" && protoc -I. -I"$GA" -I/usr/include \
  --go_out=plugins=grpc,paths=source_relative,$M:"$GW/gopath/src" \
  --grpc-gateway_out=logtostderr=true,allow_repeated_fields_in_body=true,paths=source_relative,$M:"$GW/gopath/src" \
  tandem/conformance/v1/conformance.proto)
cp conformance/grpc-gateway/main.go "$GW/gopath/src/tandem/conformance/gateway/"
(cd "$GW/gopath/src/tandem/conformance/gateway" &&
  GO111MODULE=off GOPATH="$GW/gopath:/usr/share/gocode" GOPROXY=off GOFLAGS= \
    go build -o "$GW/conformance-gateway" .)

# --- 4. start the peer ---------------------------------------------------------
log "starting the grpc-gateway peer"
"$GW/conformance-gateway" -addr-file "$GW/addr.txt" >"$GW/gateway.log" 2>&1 &
GW_PID=$!
trap 'kill "$GW_PID" 2>/dev/null || true' EXIT
for _ in $(seq 1 50); do
  [[ -s $GW/addr.txt ]] && break
  kill -0 "$GW_PID" 2>/dev/null || { cat "$GW/gateway.log" >&2; exit 1; }
  sleep 0.2
done
GW_HTTP=$(sed -E 's/^http=([^ ]+) .*/\1/' "$GW/addr.txt")
echo "REST on http://$GW_HTTP ($(cat "$GW/addr.txt"))"

# --- 5. Tandem -----------------------------------------------------------------
log "running the cases against Tandem (ConformanceResultsTest)"
rm -f "$OUT/tandem.json"
./mvnw -B -q test -Dtest=ConformanceResultsTest -Dconformance.report.dir="$OUT" >"$OUT/tandem-maven.log" 2>&1 ||
  { tail -50 "$OUT/tandem-maven.log" >&2; exit 1; }
[[ -s $OUT/tandem.json ]] || { echo "no $OUT/tandem.json; see $OUT/tandem-maven.log" >&2; exit 1; }

# --- 6. the gateway, and the report --------------------------------------------
log "running the cases against grpc-gateway and writing the report"
./mvnw -B -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$OUT/classpath.txt" >/dev/null
"$JAVA" -Djava.util.logging.manager=org.jboss.logmanager.LogManager \
  -cp "target/test-classes:target/classes:$(cat "$OUT/classpath.txt")" \
  dev.tandem.conformance.ConformanceReport "$OUT" tandem="$OUT/tandem.json" grpc-gateway="http://$GW_HTTP"

# --- 7. versions ---------------------------------------------------------------
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "tandem commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet 2>/dev/null || echo ' (with local changes)')"
  for p in "${PACKAGES[@]}"; do echo "$p: $(dpkg-query -W -f='${Version}' "$p")"; done
  echo "go: $(go version)"
  echo "protoc: $(protoc --version)"
  echo "java: $("$JAVA" -version 2>&1 | head -1)"
  echo "quarkus: $(sed -n 's:.*<quarkus.platform.version>\(.*\)</quarkus.platform.version>.*:\1:p' pom.xml)"
} >"$OUT/versions.txt"
cat "$OUT/versions.txt"
echo
echo "report: $OUT/report.md (results: $OUT/tandem.json, $OUT/grpc-gateway.json)"
