# Shared set-up for scripts/demo.sh and scripts/test.sh; source it, do not run it.
# Idempotent and cached: a second run only checks what is already there.
#
# Environment a user may set:
#   ODOO_PATH     folder that holds the `odoo` package of an Odoo 19 you already
#                 have (a git checkout's root, or a dist-packages folder); the
#                 set-up then does not fetch Odoo
#   ODOO_PYTHON   a Python that already has Odoo 19's requirements; the set-up
#                 then creates no virtualenv (pytest-odoo must be installed in it)
#   PGHOST PGPORT PGUSER PGPASSWORD   the PostgreSQL server to use
#   NMBRS_LOCAL   where fetched and generated files go (default: .local in the repo)

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LOCAL=${NMBRS_LOCAL:-$REPO/.local}
mkdir -p "$LOCAL"

log() { printf '\033[1m[nmbrs]\033[0m %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# link_addon SOURCE NAME [EXCLUDED]: the folder $LOCAL/addons/NAME links to every entry of SOURCE but EXCLUDED.
link_addon() {
  local addon=$LOCAL/addons/$2 entry
  [ -L "$addon" ] && rm "$addon"
  mkdir -p "$addon"
  find "$addon" -maxdepth 1 -type l -delete
  for entry in "$1"/*; do
    [ "${entry##*/}" = "${3:-}" ] || ln -s "$entry" "$addon/"
  done
}

setup_odoo() {
  if [ -n "${ODOO_PATH:-}" ]; then
    [ -d "$ODOO_PATH/odoo/addons/base" ] || die "ODOO_PATH=$ODOO_PATH does not hold an odoo package"
    ODOO_DIR=$(cd "$ODOO_PATH" && pwd)
  else
    "$REPO/scripts/fetch_odoo.sh" "$LOCAL/odoo-deb"
    ODOO_DIR=$LOCAL/odoo-deb/usr/lib/python3/dist-packages
  fi
  # Odoo finds addons by folder name, and the repository root is the addon;
  # the accounting bridge is an addon of its own in the folder
  # nmbrs_connector_account. Each addon's folder links to its entries but not
  # to hidden ones: .local holds this very folder, and Odoo's term export,
  # which follows links, would loop through it. (pytest needs real folders:
  # through a link to a folder it would see the bridge as part of the root addon.)
  link_addon "$REPO" nmbrs_connector nmbrs_connector_account
  link_addon "$REPO/nmbrs_connector_account" nmbrs_connector_account
  ADDONS_PATH=$ODOO_DIR/odoo/addons,$LOCAL/addons
}

setup_python() {
  if [ -n "${ODOO_PYTHON:-}" ]; then
    PYTHON=$ODOO_PYTHON
  else
    local venv=$LOCAL/venv stamp
    stamp=$(sha1sum "$REPO/requirements.txt" | cut -c1-40)
    if [ "$(cat "$venv/.requirements" 2>/dev/null)" != "$stamp" ]; then
      log "installing Python packages into $venv"
      [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
      "$venv/bin/pip" install -q --disable-pip-version-check -r "$REPO/requirements.txt"
      echo "$stamp" > "$venv/.requirements"
    fi
    PYTHON=$venv/bin/python
  fi
  local site
  site=$("$PYTHON" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
  [ -w "$site" ] && echo "$ODOO_DIR" > "$site/nmbrs_connector_odoo.pth"
  (cd / && "$PYTHON" -c 'import odoo.release' 2>/dev/null) \
    || die "$PYTHON cannot import Odoo from $ODOO_DIR"
}

pg_answers() { pg_isready -q ${PGHOST:+-h "$PGHOST"} ${PGPORT:+-p "$PGPORT"} 2>/dev/null; }

# Uses the PostgreSQL server that answers; when none does, starts a private
# cluster in $LOCAL/postgres (socket, data and log) that stop_private_postgres
# stops again.
setup_postgres() {
  PRIVATE_PG=
  pg_answers && return 0
  local bin pgroot=$LOCAL/postgres owner=
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$bin" ] || die "no PostgreSQL server answers and none is installed (apt-get install postgresql)"
  # PostgreSQL refuses to run as root: root runs it as the postgres user, who
  # must be able to reach the folder.
  [ "$(id -u)" = 0 ] && owner=postgres
  as_owner() { if [ -n "$owner" ]; then runuser -u "$owner" -- "$@"; else "$@"; fi; }
  mkdir -p "$pgroot"
  [ -n "$owner" ] && chown "$owner" "$pgroot"
  as_owner test -w "$pgroot" || die "the PostgreSQL user cannot write $pgroot; start a PostgreSQL server or set PGHOST"
  export PGHOST=$pgroot PGPORT=${PGPORT:-55432}
  if ! pg_answers; then
    if [ ! -f "$pgroot/data/PG_VERSION" ]; then
      log "creating a private PostgreSQL cluster in $pgroot"
      as_owner "$bin/initdb" -D "$pgroot/data" -A trust -U postgres >/dev/null
    fi
    log "starting the private PostgreSQL cluster"
    as_owner "$bin/pg_ctl" -D "$pgroot/data" -l "$pgroot/server.log" -w \
      -o "-k $pgroot -p $PGPORT -c listen_addresses=''" start >/dev/null \
      || die "the private PostgreSQL did not start, see $pgroot/server.log"
  fi
  PRIVATE_PG="$bin/pg_ctl -D $pgroot/data"
  PG_OWNER=$owner
  local me; me=$(id -un)
  psql -U postgres -d postgres -Atqc "SELECT 1 FROM pg_roles WHERE rolname = '$me'" | grep -q 1 \
    || psql -U postgres -d postgres -qc "CREATE ROLE \"$me\" SUPERUSER LOGIN" >/dev/null
  # Odoo refuses to connect as the `postgres` superuser.
  [ "$me" = postgres ] && die "Odoo does not run as the PostgreSQL user 'postgres': run the script as another user"
  export PGUSER=$me
}

stop_private_postgres() {
  if [ -n "${PRIVATE_PG:-}" ]; then
    log "stopping the private PostgreSQL cluster"
    if [ -n "${PG_OWNER:-}" ]; then runuser -u "$PG_OWNER" -- $PRIVATE_PG -m fast stop >/dev/null
    else $PRIVATE_PG -m fast stop >/dev/null; fi
    PRIVATE_PG=
  fi
}

# Writes an Odoo configuration file for database $1 and prints its path.
odoo_config() {
  local db=$1 conf=$LOCAL/odoo-$1.conf
  cat > "$conf" <<CONF
[options]
addons_path = $ADDONS_PATH
data_dir = $LOCAL/data
db_name = $db
dbfilter = ^$db\$
list_db = False
http_interface = 127.0.0.1
CONF
  local var key
  for var in PGHOST:db_host PGPORT:db_port PGUSER:db_user PGPASSWORD:db_password; do
    key=${var#*:}; var=${var%%:*}
    [ -n "${!var:-}" ] && echo "$key = ${!var}" >> "$conf"
  done
  echo "$conf"
}

odoo() { (cd "$LOCAL" && "$PYTHON" -m odoo "$@"); }

# Odoo's browser tests (tours) look for chromium on the PATH.
setup_browser() {
  command -v chromium >/dev/null || command -v google-chrome >/dev/null && return 0
  [ "$(id -u)" = 0 ] || die "the browser tests need Chromium: sudo apt-get install chromium"
  log "installing Debian's chromium for the browser tests"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null \
    || die "could not install chromium"
}

setup_all() {
  setup_odoo
  setup_python
  setup_postgres
}
