#!/usr/bin/env bash
# The main job: sets up everything (Odoo 19, the virtualenv, PostgreSQL), starts
# the local Nmbrs sandbox with a demo accounting office, creates a database with
# the addon, connects its company to the sandbox, links the relations, imports
# the payroll documents and serves Odoo on http://localhost:8069.
# Ctrl-C stops everything it started.
#
#   NMBRS_URL=https://api.nmbrs.nl/soap/v3/ NMBRS_USERNAME=... NMBRS_TOKEN=... NMBRS_TENANT_KEY=... scripts/demo.sh
# connects to that Nmbrs environment instead of the local sandbox.
# DEMO_DB (default nmbrs_demo), HTTP_PORT (8069) and SANDBOX_PORT (8899) may be set too.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
setup_all

db=${DEMO_DB:-nmbrs_demo}
http_port=${HTTP_PORT:-8069}
sandbox_port=${SANDBOX_PORT:-8899}
conf=$(odoo_config "$db")
cat "$REPO/scripts/demo_console.conf" >> "$conf"
pids=()

cleanup() {
  trap - EXIT INT TERM
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  stop_private_postgres
}
trap cleanup EXIT INT TERM

if [ -z "${NMBRS_URL:-}" ]; then
  log "starting the local Nmbrs sandbox on port $sandbox_port"
  (cd "$REPO" && exec "$PYTHON" -m nmbrs.sandbox --port "$sandbox_port" --dataset demo) > "$LOCAL/sandbox.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 50); do
    grep -q 'listening on' "$LOCAL/sandbox.log" 2>/dev/null && break
    kill -0 "${pids[0]}" 2>/dev/null || die "the sandbox did not start: $(cat "$LOCAL/sandbox.log")"
    sleep 0.2
  done
  export NMBRS_URL=http://127.0.0.1:$sandbox_port/soap/v3/
  NMBRS_USERNAME=$(awk '/username:/ {print $2}' "$LOCAL/sandbox.log")
  NMBRS_TOKEN=$(awk '/token:/ {print $2}' "$LOCAL/sandbox.log")
  NMBRS_TENANT_KEY=$(awk '/domain:/ {print $2}' "$LOCAL/sandbox.log")
fi
export NMBRS_USERNAME NMBRS_TOKEN NMBRS_TENANT_KEY

log "creating the database $db with the addon"
dropdb --if-exists --force "$db"
rm -rf "$LOCAL/data/filestore/$db"
# docutils reports the markup slips of Odoo's own module descriptions (mail's)
# on stderr while the modules are listed: not the user's concern.
odoo server -c "$conf" -d "$db" -i nmbrs_connector --stop-after-init --log-level=warn 2>&1 \
  | { grep -Ev '^<string>:[0-9]+: \((ERROR|WARNING)/[0-9]\)' || true; }

log "connecting the company to Nmbrs and importing the documents"
odoo shell -c "$conf" -d "$db" --log-level=warn --no-http < "$REPO/scripts/demo_prepare.py"

log "serving Odoo on http://localhost:$http_port"
cat <<MSG

  Odoo with nmbrs_connector: http://localhost:$http_port
  login: admin   password: admin
  Look at: Contacts > Nmbrs > Documents, a linked relation's Nmbrs tab,
           Settings > Nmbrs. Nmbrs answers from $NMBRS_URL
  Ctrl-C stops Odoo$( [ ${#pids[@]} -gt 0 ] && echo ", the Nmbrs sandbox" )$( [ -n "$PRIVATE_PG" ] && echo " and PostgreSQL" ).

MSG
# exec: the background job is Odoo itself, so cleanup stops it.
(cd "$LOCAL" && exec "$PYTHON" -m odoo server -c "$conf" -d "$db" --http-port="$http_port" --log-level=warn) &
pids+=($!)
wait "${pids[-1]}"
