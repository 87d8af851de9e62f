#!/usr/bin/env bash
# Regenerates the addon's .pot and refreshes its i18n/nl.po from the code:
# new terms are added untranslated, translations already in nl.po are kept.
# Translate the empty msgstr entries afterwards; the test_translations tests
# fail while any term of the addon lacks a Dutch translation.
#   usage: scripts/i18n.sh [nmbrs_connector | nmbrs_connector_account]
set -euo pipefail
source "$(dirname "$0")/setup.sh"
setup_all

module=${1:-nmbrs_connector}
case $module in
  nmbrs_connector) i18n=$REPO/i18n; odoo_modules=contacts,mail ;;
  nmbrs_connector_account) i18n=$REPO/nmbrs_connector_account/i18n; odoo_modules=contacts,mail,account,l10n_nl ;;
  *) die "unknown addon $module" ;;
esac
db=nmbrs_i18n_$$
conf=$(odoo_config "$db")
trap 'dropdb --if-exists --force "$db" || true; rm -f "$conf"; stop_private_postgres' EXIT

# Odoo's modules first, then the addon, as in a customer's database (and in
# scripts/test.sh): the addon then owns the fields that auto-installed modules
# such as sms add to its mail.thread models, and their terms are exported too.
odoo server -c "$conf" -d "$db" -i "$odoo_modules" --stop-after-init --log-level=warn
odoo server -c "$conf" -d "$db" -i "$module" --stop-after-init --log-level=warn
odoo i18n loadlang -c "$conf" -d "$db" -l nl_NL
odoo i18n export -c "$conf" -d "$db" "$module" -l pot
# Merge rather than export nl: an export would drop the comments a translator wrote.
# The first time, start nl.po from the template with a Dutch header (Language, Plural-Forms).
[ -f "$i18n/nl.po" ] || msginit --no-translator --no-wrap -l nl_NL.UTF-8 \
  -i "$i18n/$module.pot" -o "$i18n/nl.po"
msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$i18n/nl.po" "$i18n/$module.pot"
log "$module/i18n/nl.po: $(msgfmt --statistics -o /dev/null "$i18n/nl.po" 2>&1)"
