#!/usr/bin/env bash
# bench/profile.sh: where the time (and the allocation) goes on the hot paths, with async-profiler
# (tools.profiler:async-profiler 4.2 from Maven Central, its linux-x64/libasyncProfiler.so loaded
# into the running server with jcmd JVMTI.agent_load). Replaces the JFR-based profile.
#
# Each SERVER (default: tandem) is started pinned to CPU $SERVER_CPU, every load of bench/loads.tsv
# it serves (Tandem: all of them; a peer: the loads that name it) is warmed up until stable (bench/lib.sh),
# then recorded for $PROFILE_SECONDS s under load from CPU $CLIENT_CPU in each mode of $PROFILE_MODES:
#   cpu    CPU time, sampled every 1 ms (perf_events cpu-clock, or itimer where perf is not allowed)
#   wall   every thread every 5 ms whether running or not (where threads wait: locks, hops, I/O)
#   alloc  heap allocations, weighted by bytes (TLAB-driven sampling)
# For each (server, load, mode), in target/bench/profile/:
#   SERVER-LOAD-MODE.html       the flame graph (open in a browser; thread is the root frame)
#   SERVER-LOAD-MODE.collapsed  the collapsed stacks
#   SERVER-LOAD-MODE.md         shares by thread group, by component (inclusive and self), hottest
#                               frames (bench/profile_summary.py)
# and summary.md with all of them and each recording's req/s. A profile share says where time went,
# not what a feature costs: switch the feature off instead (bench/feature-cost.sh).
#
# Usage: bench/profile.sh [SERVER...]   SERVER: tandem, tandem-auth (RS256 tokens), armeria,
#        grpc-java-jdbc, grpc-java-hello
# Environment: PROFILE_SECONDS [15], PROFILE_MODES ["cpu wall alloc"], PROFILE_LOADS [all that apply],
#        PROFILE_ENV [Tandem settings for tandem and tandem-auth, e.g. "TANDEM_OBSERVABILITY_RPC_METRICS_ENABLED=false"],
#        and bench/lib.sh's. About (warm-up + 3 x PROFILE_SECONDS) per load and server: 5-8 minutes for tandem.
source "$(dirname "$0")/lib.sh"
PROFILE_SECONDS=${PROFILE_SECONDS:-15}
PROFILE_MODES=${PROFILE_MODES:-cpu wall alloc}
bench_init profile
build_product
database
proto_includes
load_table
async_profiler
SERVER_NAMES=("$@")
((${#SERVER_NAMES[@]})) || SERVER_NAMES=(tandem)
# shellcheck disable=SC2206
EXTRA=(${PROFILE_ENV:-})
for s in "${SERVER_NAMES[@]}"; do
  case $s in
    tandem) tandem_server tandem "$PRODUCT_JAR" "${EXTRA[@]}" ;;
    tandem-auth) tandem_server tandem-auth "$PRODUCT_JAR" TANDEM_AUTH_ENABLED=true "${EXTRA[@]}" ;;
    grpc-java-hello | grpc-java-jdbc | armeria) peer_server "$s" ;;
    *) die "cannot profile $s (tandem, tandem-auth, grpc-java-hello, grpc-java-jdbc, armeria)" ;;
  esac
done
versions >"$OUT/versions.txt"

event() {
  case $1 in
    cpu) echo "event=${PROFILE_CPU_EVENT:-cpu},interval=1ms" ;;
    wall) echo "event=wall,interval=5ms" ;;
    alloc) echo "event=alloc" ;;
    *) die "unknown mode $1 (cpu, wall, alloc)" ;;
  esac
}

{
  echo "# Profiles (bench/profile.sh)"
  echo
  sed 's/^/- /' "$OUT/versions.txt"
  echo "- async-profiler ${ASYNC_PROFILER_VERSION:-4.2}; modes: $PROFILE_MODES; ${PROFILE_SECONDS}s per recording${PROFILE_ENV:+; Tandem with $PROFILE_ENV}"
  echo
} >"$OUT/summary.md"
for s in "${SERVER_NAMES[@]}"; do
  for l in ${PROFILE_LOADS:-${LOADS[@]}}; do
    [[ ${S_KIND[$s]} == tandem || " ${L_PEERS[$l]} " == *" $s "* ]] || continue
    request_files "$l"
    probe "$s" "$l"
    warm_up "$l" "$s"
    for m in $PROFILE_MODES; do
      f=$OUT/$s-$l-$m
      log "recording $m of $s under $l for ${PROFILE_SECONDS}s"
      asprof "${S_PID[$s]}" "start,$(event "$m"),threads"
      r=$(run_load "$f.load.txt" "$s" "$l" "$PROFILE_SECONDS")
      asprof "${S_PID[$s]}" "dump,threads,flamegraph,file=$f.html"
      asprof "${S_PID[$s]}" "stop,threads,collapsed,file=$f.collapsed"
      python3 bench/profile_summary.py load "$f.collapsed" "$s, $l, $m: $r req/s while recorded" >"$f.md"
      { cat "$f.md"; echo; echo "Flame graph: \`$(basename "$f").html\`"; echo; } >>"$OUT/summary.md"
      echo "$s $l $m: $r req/s; $f.html" >&2
    done
  done
done
echo "profiles: $OUT/summary.md and the flame graphs $OUT/*.html" >&2
