#!/usr/bin/env bash
# The main job: sets up everything (Odoo 19, the virtualenv, PostgreSQL), starts
# the local Nmbrs sandbox with a demo accounting office, creates a database with
# the addon, connects its company to the sandbox over SOAP and REST, links the
# relations, gives the REST consents of all debtors but one (which stays on SOAP:
# the hybrid), imports the payroll documents and serves Odoo on http://localhost:8069.
# Ctrl-C stops everything it started.
#
#   NMBRS_URL=https://api.nmbrs.nl/soap/v3/ NMBRS_USERNAME=... NMBRS_TOKEN=... NMBRS_TENANT_KEY=... scripts/demo.sh
# connects to that Nmbrs environment over SOAP instead of the local sandbox; add
# NMBRS_REST_CLIENT_ID, NMBRS_REST_CLIENT_SECRET and NMBRS_REST_SUBSCRIPTION_KEY
# (your app in the Nmbrs partner portal, with the callback URL the demo prints)
# to enter the REST app too; the consents are then given in Settings by a person.
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
  # The sandbox's REST app accepts Odoo's callback as the address consents come back to.
  (cd "$REPO" && exec "$PYTHON" -m nmbrs.sandbox --port "$sandbox_port" --dataset demo \
     --redirect-uri "http://localhost:$http_port/nmbrs/oauth/callback") > "$LOCAL/sandbox.log" 2>&1 &
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
  NMBRS_REST_API_URL=$(awk '/^REST API:/ {print $3}' "$LOCAL/sandbox.log")
  NMBRS_REST_IDENTITY_URL=$(awk '/^Identity service:/ {print $3}' "$LOCAL/sandbox.log")
  NMBRS_REST_CLIENT_ID=$(awk '/client id:/ {print $3}' "$LOCAL/sandbox.log")
  NMBRS_REST_CLIENT_SECRET=$(awk '/client secret:/ {print $3}' "$LOCAL/sandbox.log")
  NMBRS_REST_SUBSCRIPTION_KEY=$(sed -n 's/^REST API:.*X-Subscription-Key: \([^)]*\)).*/\1/p' "$LOCAL/sandbox.log")
  # Only the sandbox's consent page can be approved by a script.
  export DEMO_APPROVE_CONSENTS=1
fi
export NMBRS_USERNAME NMBRS_TOKEN NMBRS_TENANT_KEY
export NMBRS_REST_API_URL=${NMBRS_REST_API_URL:-} NMBRS_REST_IDENTITY_URL=${NMBRS_REST_IDENTITY_URL:-}
export NMBRS_REST_CLIENT_ID=${NMBRS_REST_CLIENT_ID:-} NMBRS_REST_CLIENT_SECRET=${NMBRS_REST_CLIENT_SECRET:-}
export NMBRS_REST_SUBSCRIPTION_KEY=${NMBRS_REST_SUBSCRIPTION_KEY:-}
# Odoo's callback URL (Settings > Nmbrs) is built from web.base.url: the address the demo serves.
export ODOO_BASE_URL=http://localhost:$http_port

log "creating the database $db with the addon and Accounting (Dutch chart of accounts)"
dropdb --if-exists --force "$db"
rm -rf "$LOCAL/data/filestore/$db"
# docutils reports the markup slips of Odoo's own module descriptions (mail's)
# on stderr while the modules are listed: not the user's concern.
odoo server -c "$conf" -d "$db" -i nmbrs_connector,account,l10n_nl --stop-after-init --log-level=warn 2>&1 \
  | { grep -Ev '^<string>:[0-9]+: \((ERROR|WARNING)/[0-9]\)' || true; }

log "connecting the company to Nmbrs and importing the documents"
odoo shell -c "$conf" -d "$db" --log-level=warn --no-http < "$REPO/scripts/demo_prepare.py"

log "booking the company's own payroll in Accounting"
odoo shell -c "$conf" -d "$db" --log-level=warn --no-http < "$REPO/scripts/demo_accounting.py"

log "serving Odoo on http://localhost:$http_port"
cat <<MSG

  Odoo with nmbrs_connector: http://localhost:$http_port
  login: admin   password: admin
  Look at: Contacts > Nmbrs > Documents, a linked relation's Nmbrs tab,
           Settings > Nmbrs (how many debtors are on REST, the consents),
           Invoicing > Accounting > Journal Entries and Payroll runs (the
           company's own payroll: drafts, and runs waiting for ledger code 1620),
           Invoicing > Configuration > Nmbrs ledger mapping (map 1620: the
           waiting runs book) and the To-Do on the company's contact.
  Nmbrs SOAP answers from $NMBRS_URL${NMBRS_REST_API_URL:+, REST from $NMBRS_REST_API_URL}
  Ctrl-C stops Odoo$( [ ${#pids[@]} -gt 0 ] && echo ", the Nmbrs sandbox" )$( [ -n "$PRIVATE_PG" ] && echo " and PostgreSQL" ).

MSG
# exec: the background job is Odoo itself, so cleanup stops it.
(cd "$LOCAL" && exec "$PYTHON" -m odoo server -c "$conf" -d "$db" --http-port="$http_port" --log-level=warn) &
pids+=($!)
wait "${pids[-1]}"
