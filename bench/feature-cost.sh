#!/usr/bin/env bash
# bench/feature-cost.sh: what each feature costs, measured by switching it by configuration alone,
# one at a time, beside the default configuration, in ONE run; writes target/bench/feature-cost/
# summary.md with the table "feature, throughput with, without, ratio" per load.
#
# The features and their switches are bench/features.tsv (name, settings with it, settings without
# it, what it is): add a line to measure a new switch. Every distinct configuration (the default one,
# `default`, and one per line's non-default side) is a Tandem of its own (the product jar, the
# manifests' JVM options, pinned to CPU $SERVER_CPU from its start), all started at once; each load
# of bench/loads.tsv (or FEATURE_LOADS) is probed on every one (byte-identical answers), warmed up
# until stable, and measured in interleaved rounds (bench/lib.sh). A setting that Quarkus reports as
# build time (no effect on the packaged jar) stops the script.
#
# Usage: bench/feature-cost.sh [FEATURE...]   (default: every line of bench/features.tsv)
# Environment: FEATURE_LOADS [every load of bench/loads.tsv that Tandem serves], and bench/lib.sh's.
# With the 7 features of today, the 4 loads and the defaults: 8 servers x 4 loads x (warm-up
# 20-120 s + 3 x 10 s), about 45-60 minutes; FEATURE_LOADS="grpc-hello grpc-user" halves it.
source "$(dirname "$0")/lib.sh"
bench_init feature-cost
build_product
database
proto_includes
load_table
declare -A CONFIG_SERVER
WANT=("$@")
: >"$OUT/features.tsv"
server_for() {
  local settings=$1 name=$2
  [[ $settings == - ]] && { echo default; return; }
  [[ -n ${CONFIG_SERVER[$settings]:-} ]] && { echo "${CONFIG_SERVER[$settings]}"; return; }
  echo "$name"
}
tandem_server default "$PRODUCT_JAR"
CONFIG_SERVER[-]=default
while IFS=$'\t' read -r name with without what; do
  [[ -z $name || $name == \#* ]] && continue
  ((${#WANT[@]})) && ! printf '%s\n' "${WANT[@]}" | grep -qx "$name" && continue
  [[ $with == - && $without == - ]] && die "bench/features.tsv, $name: with and without are both the default"
  for side in with without; do
    settings=${!side}
    [[ -n ${CONFIG_SERVER[$settings]:-} ]] && continue
    CONFIG_SERVER[$settings]=$name-$side
    # shellcheck disable=SC2086
    tandem_server "$name-$side" "$PRODUCT_JAR" $settings
    ! grep -q 'Build time property cannot be changed at runtime' "${S_LOG[$name-$side]}" ||
      die "bench/features.tsv, $name: '$settings' holds a build-time property (see ${S_LOG[$name-$side]}); it has no effect at run time"
  done
  printf '%s\t%s\t%s\t%s\n' "$name" "${CONFIG_SERVER[$with]}" "${CONFIG_SERVER[$without]}" "$what" >>"$OUT/features.tsv"
done < <(sed 's/\t\t*/\t/g' bench/features.tsv)
[[ -s $OUT/features.tsv ]] || die "no feature to measure"
versions >"$OUT/versions.txt"
for s in "${SERVERS[@]}"; do printf '%s\t%s\t%s\n' "$s" "${S_KIND[$s]}" "${S_DESC[$s]}"; done >"$OUT/servers.tsv"
for l in ${FEATURE_LOADS:-${LOADS[@]}}; do
  [[ -n ${L_PROTO[$l]:-} ]] || die "no load $l in bench/loads.tsv"
  bench_load "$l" "${SERVERS[@]}"
done
python3 bench/report.py features "$OUT" >"$OUT/summary.md"
cat "$OUT/summary.md"
echo "summary: $OUT/summary.md" >&2
