#!/bin/sh
# Every variant of every `seam demo` lesson and its text report: the goldens of
# Tests/SeamCoreTests/Report/DemoCaptureGoldenTests.swift. captures/framings.txt lists them, one line per
# file stem (LESSON-VARIANT, or LESSON for a lesson with one variant) with the report's framing and pairing.
#   captures/regenerate.sh           re-record every variant (as root, with capture), then re-render the reports
#   captures/regenerate.sh --reports re-render the .txt reports of the existing .pcapng files only
set -e
cd "$(dirname "$0")/.."
seam=${SEAM:-.build/debug/seam}
lessons=$("$seam" demo --list | awk '/^ *[0-9]+\. / {print $2}')
grep -v '^#' captures/framings.txt | while read -r stem framing pairing; do
    lesson="" variant=""
    for name in $lessons; do
        case "$stem" in
        "$name") lesson=$name ;;
        "$name"-*) lesson=$name variant=${stem#"$name"-} ;;
        esac
    done
    [ -n "$lesson" ] || { echo "regenerate.sh: no lesson for $stem" >&2; exit 1; }
    if [ "$1" != "--reports" ]; then
        "$seam" demo "$lesson" ${variant:+--variant "$variant"} --record "captures/$stem.pcapng" > /dev/null
    fi
    [ "$framing" = "-" ] && framing=""
    "$seam" report "captures/$stem.pcapng" ${framing:+--framing "$framing"} ${pairing:+--pairing} \
        > "captures/$stem.txt"
done
