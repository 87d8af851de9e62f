#!/usr/bin/env bash
# Sets up everything needed (Odoo 19, the virtualenv, PostgreSQL), installs the
# addon fresh in a throw-away database, checks the install log, and runs the
# whole test suite with both test runners: Odoo's own (--test-enable, what OCA
# CI, runbot and Odoo.sh run) during the install, then pytest-odoo. Then the
# same for the accounting bridge nmbrs_connector_account, in a second database
# that has Accounting with the Dutch chart of accounts.
#   usage: scripts/test.sh [pytest arguments, e.g. -k sandbox or tests/test_x.py]
# With arguments, only pytest runs, on that selection: the bridge's when the
# first argument is a path in nmbrs_connector_account/, else the connector's.
# `scripts/test.sh nmbrs_connector_account` runs the bridge's whole suite alone.
# ODOO_RUNNER=0 leaves Odoo's runner out of a whole run.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
setup_all
setup_browser

bridge=nmbrs_connector_account
# The languages the tests need (the tours run in English and Dutch).
template_languages=nl_NL
databases=()

cleanup() {
  local status=$? db
  for db in "${databases[@]}"; do
    if [ -z "${KEEP_DB:-}" ]; then
      dropdb --if-exists --force "$db" || true
      rm -rf "$LOCAL/data/filestore/$db" "$LOCAL/odoo-$db.conf"
    else
      log "kept database $db (config $LOCAL/odoo-$db.conf)"
    fi
  done
  stop_private_postgres
  exit $status
}
trap cleanup EXIT INT TERM

# test_addon MODULE TEMPLATE_MODULES [pytest arguments]: installs MODULE fresh
# in a database copied from a template holding Odoo's TEMPLATE_MODULES, runs
# its tests with both runners (only pytest, on the selection, with arguments)
# and returns pytest's status.
test_addon() {
  local module=$1 template_modules=$2
  shift 2
  local db=${module}_test_$$
  databases+=("$db")
  # One template per checkout, Odoo and content: its files live in this checkout's filestore.
  # (Languages are added after the install: loaded at creation, Dutch would become the users' language
  # and English would be left inactive.)
  local template
  template=nmbrs_template_$(printf '%s' "$LOCAL $ODOO_DIR $template_modules $template_languages after-install" \
    | sha1sum | cut -c1-10)
  local conf
  conf=$(odoo_config "$db")
  # The browser tests talk to an Odoo server: a free port lets test runs (and the demo) side by side.
  echo "http_port = $("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')" >> "$conf"
  local install_log=$LOCAL/test-install-$module.log addon=$LOCAL/addons/$module

  # pytest-odoo names test modules after their path: it must go through the
  # addon's symlink so they import as odoo.addons.<module>.tests.
  pytest_odoo() { (cd "$addon" && ODOO_RC=$conf "$PYTHON" -m pytest -p no:cacheprovider --rootdir="$addon" \
    --confcutdir="$addon" -c "$REPO/pytest.ini" "$@"); }

  # A template with Odoo's own modules makes every run after the first fast.
  if ! psql -d postgres -Atqc "SELECT 1 FROM pg_database WHERE datname = '$template'" | grep -q 1; then
    log "preparing the template database $template with $template_modules (first run only)"
    local tconf
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
  local odoo_runner= test_options=()
  if [ $# -eq 0 ] && [ "${ODOO_RUNNER:-1}" != 0 ]; then
    odoo_runner=1
    log "installing $module in $db and running every test with Odoo's test runner"
    test_options=(--test-enable --test-tags "/$module")
  else
    log "installing $module in $db"
  fi
  # Where the install ends and the tests begin in Odoo's log.
  local tests_start=" Starting post tests| odoo\\\\.addons\\\\.$module\\\\.tests\\\\."
  local started=$SECONDS odoo_status
  set +e
  # Shown: warnings and errors of the install, then failing tests with their tracebacks and the totals.
  odoo server -c "$conf" -d "$db" -i "$module" "${test_options[@]}" --stop-after-init 2>&1 \
    | tee "$install_log" | awk -v tests_start="$tests_start" '
        /^[0-9]{4}-[0-9]{2}-[0-9]{2} / {
          if ($0 ~ tests_start && !tests) { tests = 1; print }
          show = $4 == "ERROR" || $4 == "CRITICAL" || (!tests && $4 == "WARNING") \
            || / post-tests in / || / tests when loading database / || (tests && /: skipped /)
        }
        show'
  odoo_status=${PIPESTATUS[0]}
  set -e
  local odoo_seconds=$((SECONDS - started))

  # The install must not log warnings or errors of the addon's own making; the
  # tests may, on purpose. (The first five fields, date to database name, are
  # left out of the match.)
  if awk -v tests_start="$tests_start" '$0 ~ tests_start { exit } { print }' "$install_log" \
      | grep -E ' (WARNING|ERROR|CRITICAL) ' | cut -d' ' -f6- | grep -qE 'nmbrs[._]'; then
    die "installing $module logged warnings or errors (see $install_log)"
  fi
  grep -q 'Modules loaded' "$install_log" || die "$module did not install (see $install_log)"

  if [ -n "$odoo_runner" ]; then
    # "0 failed, 0 error(s) of 226 tests when loading database ..."
    local totals failed errors ran skipped collected
    totals=$(grep -oE '[0-9]+ failed, [0-9]+ error\(s\) of [0-9]+ tests when loading' "$install_log" | tail -1)
    [ -n "$totals" ] || die "Odoo's test runner did not report (see $install_log)"
    read -r failed _ errors _ _ ran _ <<< "$totals"
    [ "$odoo_status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$errors" -eq 0 ] \
      || die "Odoo's test runner: $failed failed, $errors error(s) of $ran tests (see $install_log)"
    [ "$ran" -gt 0 ] || die "Odoo's test runner ran no test (see $install_log)"
    # A skipped test is not a passing one (a tour skips when Chromium cannot start); Odoo only logs it.
    skipped=$(grep -cE " odoo\.addons\.$module\.tests\.[a-z0-9_]+: skipped " "$install_log" || true)
    [ "$skipped" -eq 0 ] || die "Odoo's test runner skipped $skipped tests (see $install_log)"
    # Odoo's runner only finds the test modules that tests/__init__.py imports.
    collected=$(pytest_odoo --collect-only -q "$addon/tests" | tee "$LOCAL/test-collect.log" | grep -c '::' || true)
    [ "$ran" -eq "$collected" ] || die "Odoo's test runner ran $ran tests, pytest finds $collected (see" \
      "$LOCAL/test-collect.log): is every test module imported in $module's tests/__init__.py?"
    log "Odoo's test runner: $ran tests of $module passed in ${odoo_seconds} s (install included)"
  else
    [ "$odoo_status" -eq 0 ] || die "$module did not install (see $install_log)"
  fi

  log "running the tests of $module with pytest-odoo"
  local args=() arg status
  for arg in "$@"; do
    # Paths are given from the repository's root; the bridge's lie in its folder.
    if [ -e "$REPO/${arg%%::*}" ]; then args+=("$addon/${arg#"$bridge"/}"); else args+=("$arg"); fi
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
    && log "both runners passed on $module: Odoo's in ${odoo_seconds} s (install included), pytest's in $((SECONDS - started)) s"
  return $status
}

connector_modules=contacts,mail
# The bridge's database: Accounting with the Dutch chart of accounts, as a Dutch office or employer has.
bridge_modules=contacts,mail,account,l10n_nl
if [ "$*" = "$bridge" ]; then
  test_addon "$bridge" "$bridge_modules"
elif [ $# -gt 0 ]; then
  case $1 in
    "$bridge"/*) test_addon "$bridge" "$bridge_modules" "$@" ;;
    *) test_addon nmbrs_connector "$connector_modules" "$@" ;;
  esac
else
  status=0
  test_addon nmbrs_connector "$connector_modules" || status=$?
  test_addon "$bridge" "$bridge_modules" || status=$?
  exit $status
fi
