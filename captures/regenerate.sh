#!/bin/sh
# Every lesson of `seam demo` and its text report, the goldens of
# Tests/SeamCoreTests/Report/DemoCaptureGoldenTests.swift.
#   captures/regenerate.sh           re-record every lesson (as root, with capture), then re-render the reports
#   captures/regenerate.sh --reports re-render the .txt reports of the existing .pcapng files only
set -e
cd "$(dirname "$0")/.."
seam=${SEAM:-.build/debug/seam}
for lesson in $("$seam" demo --list | awk '{print $2}'); do
    [ "$1" = "--reports" ] || "$seam" demo "$lesson" --record "captures/$lesson.pcapng" > /dev/null
    framing=$(sed -n "s/^$lesson //p" captures/framings.txt)
    "$seam" report "captures/$lesson.pcapng" ${framing:+--framing "$framing"} > "captures/$lesson.txt"
done
