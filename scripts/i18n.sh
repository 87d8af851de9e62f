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

# Odoo's modules first, then the addon, as in a customer's database (and in
# scripts/test.sh): the addon then owns the fields that auto-installed modules
# such as sms add to its mail.thread models, and their terms are exported too.
odoo server -c "$conf" -d "$db" -i contacts,mail --stop-after-init --log-level=warn
odoo server -c "$conf" -d "$db" -i nmbrs_connector --stop-after-init --log-level=warn
odoo i18n loadlang -c "$conf" -d "$db" -l nl_NL
odoo i18n export -c "$conf" -d "$db" nmbrs_connector -l pot
# Merge rather than export nl: an export would drop the comments a translator wrote.
# The first time, start nl.po from the template with a Dutch header (Language, Plural-Forms).
[ -f "$REPO/i18n/nl.po" ] || msginit --no-translator --no-wrap -l nl_NL.UTF-8 \
  -i "$REPO/i18n/nmbrs_connector.pot" -o "$REPO/i18n/nl.po"
msgmerge --quiet --no-fuzzy-matching --no-wrap --update --backup=none "$REPO/i18n/nl.po" "$REPO/i18n/nmbrs_connector.pot"
log "i18n/nl.po: $(msgfmt --statistics -o /dev/null "$REPO/i18n/nl.po" 2>&1)"
