#!/usr/bin/env bash
# bench/all.sh: every figure of bench/RESULTS.md in one go (about 25 minutes;
# 30 with the soak), on an otherwise idle machine: each script in turn, then
# all summaries in target/bench/all.md. Stops at the first script that fails.
# Usage: bench/all.sh [--with-soak]   (environment: see bench/lib.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRIPTS=(grpc-sayhello grpc-getuser rest latency startup profile)
[[ ${1:-} == --with-soak ]] && SCRIPTS+=(soak)
for s in "${SCRIPTS[@]}"; do
  printf '\n######## bench/%s.sh\n' "$s" >&2
  "bench/$s.sh"
done
{
  for s in "${SCRIPTS[@]}"; do
    if [[ $s == profile ]]; then
      echo "# Profile (bench/profile.sh)"
      echo '```'
      cat target/bench/profile/*.txt
      echo '```'
    else
      cat "target/bench/$s/summary.txt"
    fi
    echo
  done
} >target/bench/all.md
echo "all summaries: target/bench/all.md" >&2
