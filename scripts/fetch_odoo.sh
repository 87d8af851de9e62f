#!/usr/bin/env bash
# Fetch Odoo 19 from Debian's archive into a project-local prefix, without
# touching the machine's apt configuration or installing anything system-wide.
#   usage: fetch_odoo.sh <prefix>
# The +dfsg package links to JS libraries and fonts of other Debian packages;
# those are unpacked into the same prefix so every symlink resolves.
set -euo pipefail
prefix=$1
marker="$prefix/.complete"
[ -f "$marker" ] && exit 0

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The mirror the machine already uses (first URIs of a deb822 source, else a deb line).
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null || true)
if [ -z "$mirror" ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ {for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' \
           /etc/apt/sources.list 2>/dev/null || true)
fi
[ -n "$mirror" ] || { echo "fetch_odoo: no Debian mirror found in the apt sources" >&2; exit 1; }
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
cat > "$work/sources.list" <<LIST
deb [signed-by=$keyring] $mirror sid main
deb [signed-by=$keyring] $mirror bookworm main
LIST
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/nonexistent
          -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache"
          -o Dir::State::status=/dev/null -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
echo "fetch_odoo: reading the package lists of sid and bookworm from $mirror"
apt-get -qq "${apt_opts[@]}" update
cd "$work/debs"
# font-awesome comes from bookworm: sid's 7.x moved the files Odoo links to.
apt-get -qq "${apt_opts[@]}" download \
  odoo-19/sid libjs-jquery/sid libjs-underscore/sid libjs-jquery-form/sid \
  fonts-roboto-unhinted/sid fonts-montserrat/sid fonts-ocr-b/sid \
  fonts-font-awesome/bookworm fonts-inconsolata/bookworm
rm -rf "$prefix"
mkdir -p "$prefix"
for deb in ./*.deb; do dpkg -x "$deb" "$prefix"; done

odoo_dir="$prefix/usr/lib/python3/dist-packages/odoo"
[ -d "$odoo_dir/addons/base" ] || { echo "fetch_odoo: odoo not found in the package" >&2; exit 1; }
dangling=$(find "$prefix" -xtype l | wc -l)
if [ "$dangling" -ne 0 ]; then
  echo "fetch_odoo: $dangling symlinks still dangle:" >&2
  find "$prefix" -xtype l | head >&2
  exit 1
fi
# The dfsg package drops this vendored file but the mail assets still list it.
selfie="$odoo_dir/addons/mail/static/lib/selfie_segmentation/selfie_segmentation.js"
[ -e "$selfie" ] || { mkdir -p "$(dirname "$selfie")"; : > "$selfie"; }
touch "$marker"
echo "fetch_odoo: Odoo 19 unpacked in $prefix"
