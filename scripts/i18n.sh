#!/usr/bin/env bash
# Regenerates i18n/nmbrs_connector.pot and refreshes i18n/nl.po from the code:
# new terms are added untranslated, translations already in nl.po are kept.
# Translate the empty msgstr entries afterwards; tests/test_translations.py
# fails while any term of the addon lacks a Dutch translation.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
setup_all

db=nmbrs_i18n_$$
conf=$(odoo_config "$db")
trap 'dropdb --if-exists --force "$db" || true; rm -f "$conf"; stop_private_postgres' EXIT

odoo server -c "$conf" -d "$db" -i nmbrs_connector --stop-after-init --log-level=warn
odoo i18n -c "$conf" loadlang -d "$db" -l nl_NL
odoo i18n -c "$conf" export -d "$db" nmbrs_connector -l pot
# Merge rather than export nl: an export would drop the comments a translator wrote.
touch "$REPO/i18n/nl.po"
msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$REPO/i18n/nl.po" "$REPO/i18n/nmbrs_connector.pot"
log "untranslated: $(msgattrib --untranslated --no-obsolete "$REPO/i18n/nl.po" | grep -c '^msgid ' || true) entries (header included)"
