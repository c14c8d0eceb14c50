#!/bin/sh
# Renders an HTML report in headless Chromium and saves a PNG, to check that the page draws.
#
#   scripts/screenshot.sh [PAGE.html] [OUT.png] [WIDTHxHEIGHT]
#
# Without PAGE, writes the hand-built sample report of BoundaryReportHTMLTests (swift test) and renders that.
# Defaults: OUT captures/report-sample.png, size 1400x1800 (1400x3080 for the sample: its whole page).
# Needs `chromium` (Debian: apt-get install chromium).
set -eu
cd "$(dirname "$0")/.."
page=${1:-}
out=${2:-captures/report-sample.png}
size=${3:-}
command -v chromium >/dev/null || { echo "screenshot.sh: chromium not installed (apt-get install chromium)" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ -z "$page" ]; then
    page="$work/sample.html"
    size=${size:-1400x3080}
    swift build --build-tests >/dev/null
    SEAM_HTML_SAMPLE="$page" swift test --skip-build --filter BoundaryReportHTMLTests/writesTheSamplePageWhenAsked \
        >/dev/null
    [ -s "$page" ] || { echo "screenshot.sh: the test did not write $page" >&2; exit 1; }
fi
size=${size:-1400x1800}
case "$page" in /*) url="file://$page" ;; *) url="file://$PWD/$page" ;; esac
mkdir -p "$(dirname "$out")"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
    --window-size="$(echo "$size" | tr x ,)" --screenshot="$out" "$url" 2>"$work/chromium.log" || {
    cat "$work/chromium.log" >&2
    exit 1
}
[ -s "$out" ] || { echo "screenshot.sh: chromium wrote no $out" >&2; exit 1; }
echo "$out: $(wc -c <"$out") bytes from $page"
