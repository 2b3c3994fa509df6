#!/usr/bin/env bash
# bench/profile.sh: where Tandem's time goes on the hot paths, with JDK Flight
# Recorder (settings=profile: Java stacks sampled every 10 ms per thread).
#
# Tandem (product jar, $TANDEM_JVM_OPTS) pinned to CPU $SERVER_CPU is warmed up,
# then recorded for $PROFILE_SECONDS s under each load from CPU $CLIENT_CPU:
#   rest-user   wrk -c50  GET /v1/users/1
#   grpc-user   h2load -c2 -m25  GetUserById{id: 1}
#   rest-hello  wrk -c50  GET /v1/greeter/World
#   grpc-hello  h2load -c2 -m25  SayHello
# For each, target/bench/profile/<load>.txt lists the share of samples by
# component (the first frame, from the top of the stack, whose class belongs to
# a known component: Tandem's transcoder, JsonFormat, Hibernate, ...) and the
# 25 hottest methods (self time). The .jfr files stay for JDK Mission Control.
# Usage: bench/profile.sh   (PROFILE_SECONDS [15]; see bench/lib.sh)
source "$(dirname "$0")/lib.sh"
PROFILE_SECONDS=${PROFILE_SECONDS:-15}
JDK_BIN=${JAVA_HOME:+$JAVA_HOME/bin/}
bench_init profile
build_product
database
proto_includes
# JFR keeps 64 frames per stack by default, too few for Vert.x: entry frames would be cut off
TANDEM_JVM_OPTS="$TANDEM_JVM_OPTS -XX:FlightRecorderOptions=stackdepth=512"
start_tandem "$PRODUCT_JAR"
JFC=$OUT/profile-1ms.jfc
sed '/jdk.ExecutionSample/,/<\/event>/ s/10 ms/1 ms/' "$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")/lib/jfr/profile.jfc" >"$JFC"
grep -q '1 ms' "$JFC" || die "could not derive $JFC from the JDK's profile.jfc"
grpc_frame user user.v1.GetUserRequest user/v1/user.proto 'id: 1'
grpc_frame hello helloworld.HelloRequest helloworld/helloworld.proto 'name: "World"'

load() {
  case $1 in
    rest-user) wrk_load "$2" "$3" "$BASE/v1/users/1" ;;
    rest-hello) wrk_load "$2" "$3" "$BASE/v1/greeter/World" ;;
    grpc-user) h2load_grpc "$2" "$3" user "$BASE/user.v1.UserService/GetUserById" ;;
    grpc-hello) h2load_grpc "$2" "$3" hello "$BASE/helloworld.Greeter/SayHello" ;;
  esac
}
LOADS=(rest-user grpc-user rest-hello grpc-hello)
log "warming up: ${WARMUP}s each"
for l in "${LOADS[@]}"; do load "$l" "$OUT/warmup-$l.txt" "$WARMUP"; check "$OUT/warmup-$l.txt" warmup; done
for l in "${LOADS[@]}"; do
  log "recording $l for ${PROFILE_SECONDS}s"
  "${JDK_BIN}jcmd" "$TANDEM_PID" JFR.start name="$l" settings="$JFC" filename="$OUT/$l.jfr" >/dev/null
  load "$l" "$OUT/load-$l.txt" "$PROFILE_SECONDS"
  "${JDK_BIN}jcmd" "$TANDEM_PID" JFR.stop name="$l" >/dev/null
  check "$OUT/load-$l.txt"
  "${JDK_BIN}jfr" print --json --events jdk.ExecutionSample "$OUT/$l.jfr" >"$OUT/$l.json"
  python3 bench/jfr_summary.py "$OUT/$l.json" "$l $(rate "$OUT/load-$l.txt") req/s" | tee "$OUT/$l.txt"
done
