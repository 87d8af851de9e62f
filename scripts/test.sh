#!/usr/bin/env bash
# Sets up everything needed (Odoo 19, the virtualenv, PostgreSQL), installs the
# addon fresh in a throw-away database, checks the install log, and runs the
# whole test suite with pytest-odoo.
#   usage: scripts/test.sh [pytest arguments, e.g. -k sandbox or tests/test_x.py]
set -euo pipefail
source "$(dirname "$0")/setup.sh"
setup_all
setup_browser

db=nmbrs_test_$$
# Odoo's modules of the template, and the languages the tests need (the tours run in English and Dutch).
template_modules=contacts,mail
template_languages=nl_NL
# One template per checkout, Odoo and content: its files live in this checkout's filestore.
# (Languages are added after the install: loaded at creation, Dutch would become the users' language
# and English would be left inactive.)
template=nmbrs_template_$(printf '%s' "$LOCAL $ODOO_DIR $template_modules $template_languages after-install" \
  | sha1sum | cut -c1-10)
conf=$(odoo_config "$db")
# The browser tests talk to an Odoo server: a free port lets test runs (and the demo) side by side.
echo "http_port = $("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" >> "$conf"
install_log=$LOCAL/test-install.log

cleanup() {
  local status=$?
  if [ -z "${KEEP_DB:-}" ]; then
    dropdb --if-exists --force "$db" || true
    rm -rf "$LOCAL/data/filestore/$db" "$conf"
  else
    log "kept database $db (config $conf)"
  fi
  stop_private_postgres
  exit $status
}
trap cleanup EXIT INT TERM

# A template with Odoo's own modules makes every run after the first fast.
if ! psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$template'" | grep -q 1; then
  log "preparing the template database $template (first run only)"
  tconf=$(odoo_config "$template")
  { odoo server -c "$tconf" -d "$template" -i "$template_modules" --stop-after-init --log-level=warn \
      && odoo i18n loadlang -c "$tconf" -d "$template" -l "$template_languages"; } \
    || { dropdb --if-exists "$template"; die "could not prepare $template"; }
fi
createdb -T "$template" "$db"
if [ -d "$LOCAL/data/filestore/$template" ]; then
  mkdir -p "$LOCAL/data/filestore"
  cp -a "$LOCAL/data/filestore/$template" "$LOCAL/data/filestore/$db"
fi

log "installing nmbrs_connector in $db"
odoo server -c "$conf" -d "$db" -i nmbrs_connector --stop-after-init 2>&1 | tee "$install_log" | grep -E ' (WARNING|ERROR|CRITICAL) ' || true
# The install must not log warnings or errors of the addon's own making.
# (The first five fields, date to database name, are left out of the match.)
if grep -E ' (WARNING|ERROR|CRITICAL) ' "$install_log" | cut -d' ' -f6- | grep -qE 'nmbrs[._]'; then
  die "installing the addon logged warnings or errors (see $install_log)"
fi
grep -q 'Modules loaded' "$install_log" || die "the addon did not install (see $install_log)"

log "running the tests"
# pytest-odoo names test modules after their path: it must go through the
# addon's symlink so they import as odoo.addons.nmbrs_connector.tests.
addon=$LOCAL/addons/nmbrs_connector
args=()
for arg in "$@"; do
  if [ -e "$REPO/${arg%%::*}" ]; then args+=("$addon/$arg"); else args+=("$arg"); fi
done
[ ${#args[@]} -gt 0 ] || args=("$addon/tests")
cd "$addon"
set +e
ODOO_RC=$conf "$PYTHON" -m pytest -p no:cacheprovider --odoo-http --rootdir="$addon" "${args[@]}"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here.
[ $status -eq 5 ] && log "no test was run"
exit $status
