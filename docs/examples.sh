#!/usr/bin/env bash
# docs/examples.sh: writes the generated parts of the documentation (README.md, docs/*.md) from a
# fresh run: the output of every example block, by running its commands against a freshly started
# Tandem, and every count marker, from the sources.
#
# Usage: docs/examples.sh [--check] [--no-build] [FILE.md...]
#   --check     change nothing: exit 1, and say which blocks and counts, when what a fresh run prints
#               differs from what the files show (DocsExamplesIT runs this in every ./mvnw verify).
#   --no-build  use target/quarkus-app as it is (bin/run --no-build). Without it the jar is built
#               first when it is missing or older than the sources, as bin/run does.
#   FILE.md     only these files (default: README.md and docs/*.md).
#
# Adding an example: put a ```console block with the commands ("$ " lines) right after the line
#     <!-- example -->                  (demo data, authentication off, as bin/run)
#     <!-- example server=auth -->      (demo data, authentication on, bin/dev-token's tokens accepted)
#     <!-- example server=none -->      (no server needed)
# and run this script; it writes each command's output under it. Commands say localhost:8080; they
# run from the repository root, in one bash per block. Request ids and other server-made UUIDs, and
# timestamps of the run's day, are normalised so that a second run prints the same. Counts:
# <!--count:NAME-->N<!--/count--> (names: src/test/java/dev/tandem/docs/DocExamples.java, counts()).
# DocsTest (every ./mvnw verify) checks that every console block is such an example and every count
# is right; this script is what makes the outputs true.
#
# What runs: for each server the blocks need, a scratch database (tandem_examples_<server>, dropped
# and created anew) and `bin/run --no-build` on a free port with text logs in
# target/examples/<server>.log; both are removed at the end.
#
# Environment:
#   TANDEM_EXAMPLES_PG  HOST:PORT of a PostgreSQL whose role `postgres` may create databases without a
#                       password (e.g. 127.0.0.1:5432, what the tests use). Default: the embedded
#                       cluster of bin/embedded-postgres (started when it is not running).
#   JAVA_HOME           JDK to use (17 or newer); else `java` on the PATH.
#
# Needs: a JDK, curl, psql (or /usr/lib/postgresql/*/bin/psql), node and npm (the gRPC examples).
# Exit codes: 0 done (with --check: nothing differs); 1 something differs (--check) or failed; 2 usage.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
TOOL=src/test/java/dev/tandem/docs/DocExamples.java
JAR=target/quarkus-app/quarkus-run.jar
WORK=target/examples

die() { echo "docs/examples.sh: $*" >&2; exit 1; }
say() { echo "docs/examples.sh: $*" >&2; }

check=()
build=true
files=()
while (($#)); do
  case "$1" in
    --check) check=(--check) ;;
    --no-build) build=false ;;
    -h | --help) sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
    -*) echo "docs/examples.sh: unknown option $1" >&2; exit 2 ;;
    *) files+=("$1") ;;
  esac
  shift
done
((${#files[@]})) || files=(README.md docs/*.md)

JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$JAVA" >/dev/null 2>&1 || die "no JDK: set JAVA_HOME or put java on the PATH"
tool() { "$JAVA" "$TOOL" "$@"; }

mapfile -t servers < <(tool needs "${files[@]}")
server_args=()
pids=()
dbs=()
PSQL=""
pg_host=""
pg_port=""

cleanup() {
  local pid db
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  for db in "${dbs[@]}"; do
    "$PSQL" -X -q -w -h "$pg_host" -p "$pg_port" -U postgres -d postgres -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

if ((${#servers[@]})); then
  # --- the jar ---
  if $build; then
    if [[ ! -f "$JAR" || -n "$(find pom.xml src/main .mvn/wrapper -newer "$JAR" -print -quit 2>/dev/null)" ]]; then
      say "building the jar..."
      ./mvnw -B -q -DskipTests package
    fi
  fi
  [[ -f "$JAR" ]] || die "no $JAR (build it with ./mvnw -B -DskipTests package, or drop --no-build)"

  # --- PostgreSQL ---
  PSQL=$(command -v psql || find /usr/lib/postgresql -path '*/bin/psql' 2>/dev/null | sort -V | tail -n 1)
  [[ -n "$PSQL" ]] || die "no psql found"
  if [[ -n "${TANDEM_EXAMPLES_PG:-}" ]]; then
    pg_host=${TANDEM_EXAMPLES_PG%:*}
    pg_port=${TANDEM_EXAMPLES_PG##*:}
  else
    url=$(bin/embedded-postgres start) || die "bin/embedded-postgres start failed"
    pg_host=127.0.0.1
    pg_port=$(sed -E 's#.*://[^:]+:([0-9]+)/.*#\1#' <<<"$url")
  fi
  export PGOPTIONS='--client-min-messages=warning'
  admin() { "$PSQL" -X -q -w -h "$pg_host" -p "$pg_port" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1" >/dev/null; }

  mkdir -p "$WORK"
  for server in "${servers[@]}"; do
    db="tandem_examples_${server}"
    admin "DROP DATABASE IF EXISTS $db WITH (FORCE)"
    admin "CREATE DATABASE $db"
    dbs+=("$db")
    port=$(free_port)
    env_args=(QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$pg_host:$pg_port/$db" QUARKUS_DATASOURCE_USERNAME=postgres
      QUARKUS_HTTP_PORT="$port" QUARKUS_LOG_CONSOLE_JSON_ENABLED=false TANDEM_DEMO_DATA_ENABLED=true)
    case "$server" in
      default) env_args+=(TANDEM_AUTH_ENABLED=false) ;;
      auth)
        while IFS= read -r line; do
          env_args+=("${line#export }")
        done < <(bin/dev-token --env | grep '^export ')
        env_args+=(TANDEM_AUTH_ENABLED=true) ;;
      *) die "unknown server '$server'" ;;
    esac
    say "starting Tandem ($server) on port $port, database $db"
    env "${env_args[@]}" bin/run --no-build >"$WORK/$server.log" 2>&1 &
    pids+=($!)
    for ((i = 0; i < 1800; i++)); do
      kill -0 "${pids[-1]}" 2>/dev/null || die "Tandem ($server) exited; see $WORK/$server.log"
      [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$port/q/health/ready" || true)" == 200 ]] && break
      sleep 0.1 # readiness polling interval
    done
    ((i < 1800)) || die "Tandem ($server) not ready after 180 s; see $WORK/$server.log"
    server_args+=(--server "$server=$port")
  done
fi

tool run "${check[@]}" "${server_args[@]}" "${files[@]}"
