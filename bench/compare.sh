#!/usr/bin/env bash
# bench/compare.sh BASE: the same figures as bench/all.sh for Tandem at HEAD (this working tree, as
# built) and at commit BASE, side by side in ONE run, reported as HEAD / BASE ratios, so that a
# change's effect is a ratio of figures measured together.
#
# BASE (any commit-ish) is checked out in a git worktree, target/bench-compare/<commit>/ (kept for
# the next run; `git worktree remove` it when done), and built there with its own Maven build and
# target directory (./mvnw -DskipTests package). Then, all at once, each pinned to CPU $SERVER_CPU
# from its start, with the JVM options HEAD's manifests ship (bench/jvm-opts.py) for both:
#   head, base             authentication off (as bin/run)
#   head-auth, base-auth   authentication on, RS256 bearer tokens (COMPARE_AUTH=0 leaves them out)
# Figures: throughput of every load of bench/loads.tsv (or the LOADs given), warmed up until stable
# and measured in interleaved rounds; the answers of base must be byte-identical to head's (a
# performance change must not change a response; COMPARE_IDENTICAL=0 reports instead of failing);
# p99 at half of each one's maximum for $LATENCY_LOADS; RSS under load; start-up to
# /q/health/ready, $STARTS starts each (NO_STARTUP=1 skips it).
# Output: target/bench/compare/summary.md (HEAD / BASE table first), raw records beside it.
#
# Usage: bench/compare.sh BASE [LOAD...]   (environment: bench/lib.sh; STARTS [5],
#        LATENCY_LOADS ["grpc-user rest-user"], COMPARE_AUTH [1], COMPARE_IDENTICAL [1])
# With the defaults about 30-40 minutes, plus BASE's build the first time (2-3 minutes).
source "$(dirname "$0")/lib.sh"
[[ $# -ge 1 ]] || die "usage: bench/compare.sh BASE [LOAD...]"
BASE_REF=$1
shift
STARTS=${STARTS:-5}
LATENCY_LOADS=${LATENCY_LOADS:-grpc-user rest-user}
COMPARE_AUTH=${COMPARE_AUTH:-1}
SHA=$(git rev-parse --verify "$BASE_REF^{commit}") || die "no commit $BASE_REF"
bench_init compare
build_product
database
proto_includes
load_table
FIGURES=("$@")
((${#FIGURES[@]})) || FIGURES=("${LOADS[@]}")
for l in "${FIGURES[@]}"; do [[ -n ${L_PROTO[$l]:-} ]] || die "no load $l in bench/loads.tsv"; done

WT=$ROOT/target/bench-compare/${SHA:0:12}
if [[ ! -d $WT ]]; then
  log "checking out $BASE_REF ($SHA) in $WT"
  git worktree add --detach "$WT" "$SHA" >&2
fi
BASE_JAR=$WT/target/quarkus-app/quarkus-run.jar
if [[ ! -f $BASE_JAR ]]; then
  log "building $BASE_REF in $WT"
  (cd "$WT" && ./mvnw -B -q -DskipTests package) >&2 || die "$BASE_REF did not build"
fi
versions >"$OUT/versions.txt"
echo "BASE: $BASE_REF = $(git log -1 --format='%h %s' "$SHA")" >>"$OUT/versions.txt"
echo "HEAD: $(git log -1 --format='%h %s')$(git diff --quiet HEAD -- src pom.xml || echo ' (with local changes)')" >>"$OUT/versions.txt"

tandem_server head "$PRODUCT_JAR"
tandem_server base "$BASE_JAR"
PAIRS=(head base)
if [[ $COMPARE_AUTH == 1 ]]; then
  tandem_server head-auth "$PRODUCT_JAR" TANDEM_AUTH_ENABLED=true
  tandem_server base-auth "$BASE_JAR" TANDEM_AUTH_ENABLED=true
  PAIRS+=(head-auth base-auth)
fi
for s in "${SERVERS[@]}"; do printf '%s\t%s\t%s\n' "$s" "${S_KIND[$s]}" "${S_DESC[$s]}"; done >"$OUT/servers.tsv"

for l in "${FIGURES[@]}"; do
  [[ ${COMPARE_IDENTICAL:-1} == 1 ]] || IDENTITY=warn
  IDENTITY=${IDENTITY:-} bench_load "$l" "${PAIRS[@]}"
done
for l in $LATENCY_LOADS; do
  printf '%s\n' "${FIGURES[@]}" | grep -qx "$l" || continue
  for s in "${PAIRS[@]}"; do latency "$l" "$s"; done
done
for s in "${PAIRS[@]}"; do stop_server "$s"; done
if [[ -z ${NO_STARTUP:-} ]]; then
  log "start-up: $STARTS starts each, interleaved"
  for i in $(seq 1 "$STARTS"); do
    startup_runs head "$PRODUCT_JAR" 1
    startup_runs base "$BASE_JAR" 1
    if [[ $COMPARE_AUTH == 1 ]]; then
      startup_runs head-auth "$PRODUCT_JAR" 1 TANDEM_AUTH_ENABLED=true
      startup_runs base-auth "$BASE_JAR" 1 TANDEM_AUTH_ENABLED=true
    fi
  done
fi

python3 bench/report.py compare "$OUT" >"$OUT/summary.md"
cat "$OUT/summary.md"
echo "summary: $OUT/summary.md; BASE's worktree stays in $WT (git worktree remove $WT)" >&2
