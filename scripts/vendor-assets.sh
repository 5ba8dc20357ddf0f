#!/usr/bin/env bash
# Re-create the vendored third-party assets under assets/ (maintainers only;
# the results are committed, and neither `make run` nor `make test` calls this).
#
#   assets/vendor/bootstrap.min.css        npm bootstrap@5.3 dist/css (MIT)
#   assets/vendor/bootstrap-icons.min.css  npm bootstrap-icons (MIT), woff2 only,
#   assets/vendor/fonts/bootstrap-icons.woff2   cache-busting query strings removed
#   assets/fonts/NotoSans-{Regular,Bold}.ttf    Debian fonts-noto-core (OFL-1.1)
#   assets/fonts/NotoSans<Script>-{Regular,Bold}.ttf  the same package: the scripts of Indian
#       names (Devanagari, Bengali, Gurmukhi, Gujarati, Tamil, Telugu, Kannada, Malayalam)
#
# Needs: npm (talks to the npm registry), fonts-noto-core installed, python3.
set -euo pipefail

BOOTSTRAP_VERSION="${BOOTSTRAP_VERSION:-5.3.9}"
ICONS_VERSION="${ICONS_VERSION:-1.13.2}"
NOTO_DIR="${NOTO_DIR:-/usr/share/fonts/truetype/noto}"

cd "$(dirname "$0")/.."
root="$PWD"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

cd "$tmp"
npm pack --silent "bootstrap@${BOOTSTRAP_VERSION}" "bootstrap-icons@${ICONS_VERSION}" >/dev/null
mkdir bs bi
tar -xzf "bootstrap-${BOOTSTRAP_VERSION}.tgz" -C bs
tar -xzf "bootstrap-icons-${ICONS_VERSION}.tgz" -C bi

mkdir -p "$root/assets/vendor/fonts" "$root/assets/fonts"
# Drop the source-map comment: the .map is not vendored (avoids a 404 in devtools).
sed -e '/^\/\*# sourceMappingURL=.*\*\/$/d' bs/package/dist/css/bootstrap.min.css \
    > "$root/assets/vendor/bootstrap.min.css"
cp bs/package/LICENSE "$root/assets/vendor/LICENSE-bootstrap.txt"
cp bi/package/LICENSE "$root/assets/vendor/LICENSE-bootstrap-icons.txt"
cp bi/package/font/fonts/bootstrap-icons.woff2 "$root/assets/vendor/fonts/bootstrap-icons.woff2"
python3 - bi/package/font/bootstrap-icons.min.css "$root/assets/vendor/bootstrap-icons.min.css" <<'EOF'
import re, sys
src = open(sys.argv[1], encoding="utf-8").read()
new, n = re.subn(
    r'src:url\("fonts/bootstrap-icons\.woff2\?[0-9a-f]+"\) format\("woff2"\),'
    r'url\("fonts/bootstrap-icons\.woff\?[0-9a-f]+"\) format\("woff"\)',
    'src:url("fonts/bootstrap-icons.woff2") format("woff2")', src)
if n != 1:
    sys.exit("bootstrap-icons.min.css: @font-face src not in the expected form")
new = re.sub(r'\n?/\*# sourceMappingURL=[^*]*\*/\s*$', '\n', new)
open(sys.argv[2], "w", encoding="utf-8").write(new)
EOF

INDIAN_SCRIPTS="Devanagari Bengali Gurmukhi Gujarati Tamil Telugu Kannada Malayalam"
for w in Regular Bold; do
    cp "$NOTO_DIR/NotoSans-$w.ttf" "$root/assets/fonts/NotoSans-$w.ttf"
    for s in $INDIAN_SCRIPTS; do
        cp "$NOTO_DIR/NotoSans$s-$w.ttf" "$root/assets/fonts/NotoSans$s-$w.ttf"
    done
done

# Checks: no external fetches from the CSS, and the rupee sign is in the fonts.
cd "$root"
if grep -ohE 'url\(["'"'"']?[^"'"'"')]*' assets/vendor/*.css | sed -E 's/^url\(["'"'"']?//' \
        | grep -vE '^(data:|fonts/)' ; then
    echo "vendor-assets: unexpected url() in vendored CSS (above)" >&2; exit 1
fi
if grep -qE '@import' assets/vendor/*.css; then
    echo "vendor-assets: @import in vendored CSS" >&2; exit 1
fi
py="${PYTHON:-.venv/bin/python}"
[ -x "$py" ] || py=python3
"$py" - <<'EOF' || echo "vendor-assets: fontTools unavailable, skipped the U+20B9 check" >&2
from fontTools.ttLib import TTFont
for w in ("Regular", "Bold"):
    f = TTFont(f"assets/fonts/NotoSans-{w}.ttf")
    assert 0x20B9 in f.getBestCmap(), f"NotoSans-{w}.ttf lacks U+20B9"
print("vendor-assets: U+20B9 present in NotoSans Regular and Bold")
# One letter of each script (KA, or its equivalent) must be in its face.
for script, letter in (("Devanagari", 0x915), ("Bengali", 0x995), ("Gurmukhi", 0xA15), ("Gujarati", 0xA95),
                       ("Tamil", 0xB95), ("Telugu", 0xC15), ("Kannada", 0xC95), ("Malayalam", 0xD15)):
    for w in ("Regular", "Bold"):
        assert letter in TTFont(f"assets/fonts/NotoSans{script}-{w}.ttf").getBestCmap(), script
print("vendor-assets: the eight Indian-script faces cover their scripts")
EOF
du -ch assets/vendor assets/fonts | tail -1
