#!/bin/sh
# Re-records every lesson of `seam demo` (as root, with capture) and writes its text report beside it.
# The .txt files are the goldens of Tests/SeamCoreTests/Report/DemoCaptureGoldenTests.swift.
set -e
cd "$(dirname "$0")/.."
seam=${SEAM:-.build/debug/seam}
for lesson in $("$seam" demo --list | awk '{print $2}'); do
    "$seam" demo "$lesson" --record "captures/$lesson.pcapng" > /dev/null
    framing=$(sed -n "s/^$lesson //p" captures/framings.txt)
    "$seam" report "captures/$lesson.pcapng" ${framing:+--framing "$framing"} > "captures/$lesson.txt"
done
