#!/usr/bin/env bash
# Benchmark of the payroll document import against the local Nmbrs sandbox.
# For an office of N companies (and, to compare peak memory, one of N/2), it
# starts a sandbox with a simulated latency in its own process, creates a fresh
# database with the addon, links a relation per Nmbrs company and measures the
# initial import, a no-change import and the storage bound (see bench/bench.py).
# Prints a table and writes bench/results/<date>.json.
# --rest measures the same office imported over REST instead (bench/bench_rest.py; the sandbox
# accepts the consent's return to Odoo's callback at its default address).
#
#   bench/run.sh [--rest] [--large] [--companies N] [--employees E] [--runs R] [--latency SECONDS]
set -euo pipefail
source "$(dirname "$0")/../scripts/setup.sh"

companies=20 employees=15 runs=12 latency=0.05 script=bench.py
while [ $# -gt 0 ]; do
  case $1 in
    --rest) script=bench_rest.py ;;
    --large) companies=100 employees=25 ;;
    --companies) companies=$2; shift ;;
    --employees) employees=$2; shift ;;
    --runs) runs=$2; shift ;;
    --latency) latency=$2; shift ;;
    *) die "unknown option $1 (see the top of $0)" ;;
  esac
  shift
done

setup_all
results=$REPO/bench/results
mkdir -p "$results"
template=nmbrs_bench_template
pids=()

drop_database() {
  dropdb --if-exists --force "$1"
  rm -rf "$LOCAL/data/filestore/$1" "$LOCAL/odoo-$1.conf"
}

cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  drop_database "$template"
  stop_private_postgres
}
trap cleanup EXIT INT TERM

log "creating the database $template with the addon"
drop_database "$template"
odoo server -c "$(odoo_config "$template")" -d "$template" -i nmbrs_connector --stop-after-init --log-level=warn

result_of() { echo "$results/.office-$1.json"; }

bench_office() {
  local size=$1 db=nmbrs_bench_$1 sandbox_log=$LOCAL/bench-sandbox-$1.log
  log "office of $size companies x $employees employees x $runs runs, latency $latency s"
  (cd "$REPO" && exec "$PYTHON" -m nmbrs.sandbox --port 0 --dataset sized --companies "$size" \
     --employees "$employees" --runs "$runs" --latency "$latency" \
     --redirect-uri "http://localhost:8069/nmbrs/oauth/callback") > "$sandbox_log" 2>&1 &
  local sandbox_pid=$!
  pids+=("$sandbox_pid")
  until grep -q 'listening on' "$sandbox_log" 2>/dev/null; do
    kill -0 "$sandbox_pid" 2>/dev/null || die "the sandbox did not start: $(cat "$sandbox_log")"
    sleep 0.2
  done
  drop_database "$db"
  createdb -T "$template" "$db"
  [ -d "$LOCAL/data/filestore/$template" ] && cp -a "$LOCAL/data/filestore/$template" "$LOCAL/data/filestore/$db"
  PYTHONPATH=$REPO/bench BENCH_SANDBOX=$(sed -n 's|.*listening on \(http://[^/]*\)/.*|\1|p' "$sandbox_log") \
  BENCH_LATENCY=$latency BENCH_RESULT=$(result_of "$size") \
    odoo shell -c "$(odoo_config "$db")" -d "$db" --log-level=warn --no-http < "$REPO/bench/$script"
  kill "$sandbox_pid"
  wait "$sandbox_pid" 2>/dev/null || true
  drop_database "$db"
}

bench_office $((companies / 2))
bench_office "$companies"
"$PYTHON" "$REPO/bench/summary.py" "$results/$(date +%Y%m%d-%H%M%S)-$companies.json" \
  "$(result_of $((companies / 2)))" "$(result_of "$companies")"
