#!/usr/bin/env bash
# Sets up everything needed (Odoo 19, the virtualenv, PostgreSQL), installs the
# addon fresh in a throw-away database, checks the install log, and runs the
# whole test suite with both test runners: Odoo's own (--test-enable, what OCA
# CI, runbot and Odoo.sh run) during the install, then pytest-odoo.
#   usage: scripts/test.sh [pytest arguments, e.g. -k sandbox or tests/test_x.py]
# With arguments, only pytest runs, on that selection. ODOO_RUNNER=0 leaves
# Odoo's runner out of a whole run.
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
addon=$LOCAL/addons/nmbrs_connector

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

# pytest-odoo names test modules after their path: it must go through the
# addon's symlink so they import as odoo.addons.nmbrs_connector.tests.
pytest_odoo() { (cd "$addon" && ODOO_RC=$conf "$PYTHON" -m pytest -p no:cacheprovider --rootdir="$addon" "$@"); }

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

# Odoo's runner runs the whole suite while it installs the addon, as CI does.
odoo_runner=
if [ $# -eq 0 ] && [ "${ODOO_RUNNER:-1}" != 0 ]; then
  odoo_runner=1
  log "installing nmbrs_connector in $db and running every test with Odoo's test runner"
  test_options=(--test-enable --test-tags /nmbrs_connector)
else
  log "installing nmbrs_connector in $db"
  test_options=()
fi
# Where the install ends and the tests begin in Odoo's log.
tests_start=' Starting post tests| odoo\\.addons\\.nmbrs_connector\\.tests\\.'
started=$SECONDS
set +e
# Shown: warnings and errors of the install, then failing tests with their tracebacks and the totals.
odoo server -c "$conf" -d "$db" -i nmbrs_connector "${test_options[@]}" --stop-after-init 2>&1 \
  | tee "$install_log" | awk -v tests_start="$tests_start" '
      /^[0-9]{4}-[0-9]{2}-[0-9]{2} / {
        if ($0 ~ tests_start && !tests) { tests = 1; print }
        show = $4 == "ERROR" || $4 == "CRITICAL" || (!tests && $4 == "WARNING") \
          || / post-tests in / || / tests when loading database / || (tests && /: skipped /)
      }
      show'
odoo_status=${PIPESTATUS[0]}
set -e
odoo_seconds=$((SECONDS - started))

# The install must not log warnings or errors of the addon's own making; the
# tests may, on purpose. (The first five fields, date to database name, are
# left out of the match.)
if awk -v tests_start="$tests_start" '$0 ~ tests_start { exit } { print }' "$install_log" \
    | grep -E ' (WARNING|ERROR|CRITICAL) ' | cut -d' ' -f6- | grep -qE 'nmbrs[._]'; then
  die "installing the addon logged warnings or errors (see $install_log)"
fi
grep -q 'Modules loaded' "$install_log" || die "the addon did not install (see $install_log)"

if [ -n "$odoo_runner" ]; then
  # "0 failed, 0 error(s) of 226 tests when loading database ..."
  totals=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading' "$install_log" | tail -1)
  [ -n "$totals" ] || die "Odoo's test runner did not report (see $install_log)"
  read -r failed _ errors _ _ ran _ <<< "$totals"
  [ "$odoo_status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ] \
    || die "Odoo's test runner: $failed failed, $errors error(s) of $ran tests (see $install_log)"
  [ "$ran" -gt 0 ] || die "Odoo's test runner ran no test (see $install_log)"
  # A skipped test is not a passing one (a tour skips when Chromium cannot start); Odoo only logs it.
  skipped=$(grep -cE ' odoo\.addons\.nmbrs_connector\.tests\.[a-z0-9_]+: skipped ' "$install_log" || true)
  [ "$skipped" -eq 0 ] || die "Odoo's test runner skipped $skipped tests (see $install_log)"
  # Odoo's runner only finds the test modules that tests/__init__.py imports.
  collected=$(pytest_odoo --collect-only -q "$addon/tests" | tee "$LOCAL/test-collect.log" | grep -c '::' || true)
  [ "$ran" -eq "$collected" ] || die "Odoo's test runner ran $ran tests, pytest finds $collected (see" \
    "$LOCAL/test-collect.log): is every test module imported in tests/__init__.py?"
  log "Odoo's test runner: $ran tests passed in ${odoo_seconds} s (install included)"
else
  [ "$odoo_status" -eq 0 ] || die "the addon did not install (see $install_log)"
fi

log "running the tests with pytest-odoo"
args=()
for arg in "$@"; do
  if [ -e "$REPO/${arg%%::*}" ]; then args+=("$addon/$arg"); else args+=("$arg"); fi
done
[ ${#args[@]} -gt 0 ] || args=("$addon/tests")
started=$SECONDS
set +e
pytest_odoo --odoo-http --junitxml="$LOCAL/test-pytest.xml" "${args[@]}"
status=$?
set -e
# pytest exits 5 when it collected no test: that is a failure here.
[ $status -eq 5 ] && log "no test was run"
# A skipped test is not a passing one (pytest lists why above).
if [ $status -eq 0 ] && grep -qE '<testsuite [^>]*skipped="[1-9]' "$LOCAL/test-pytest.xml"; then
  log "pytest skipped tests"
  status=1
fi
[ $status -eq 0 ] && [ -n "$odoo_runner" ] \
  && log "both runners passed: Odoo's in ${odoo_seconds} s (install included), pytest's in $((SECONDS - started)) s"
exit $status
