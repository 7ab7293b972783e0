#!/usr/bin/env bash
# Writes a large kernel log made of real fragments: this project's machine's own boot dmesg as background noise,
# with the seed investigations' hang reports (examples/) and the parser fixtures' real reports mixed in, about one
# hang report per 2 000 lines. Usage: bench/gen-log.sh SIZE_MB OUT [SHAPE]; SHAPE "short": one-line messages only
# (the boot log's lines under 60 characters) with a hung-task report every ~250 lines.
set -euo pipefail
size_mb=${1:?size in MB}
out=${2:?output file}
shape=${3:-long}
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$here")"
chunk=$(mktemp)
trap 'rm -f "$chunk" "$chunk.2"' EXIT
hang_files=("$top"/examples/*/vmcore-dmesg.txt)
for f in "$top"/src/test/resources/logs/*.log "$top"/src/test/resources/traces/*hung*.txt; do
  [ -f "$f" ] && hang_files+=("$f")
done
# one chunk: noise repeated until ~2 000 lines, then one hang fragment; a few hang fragments per chunk
: > "$chunk"
if [ "$shape" = short ]; then
  short=$(mktemp)
  awk 'length($0) < 60' "$here/fragments/noise-dmesg.txt" > "$short"
  # hung-task reports alone (the boot logs' fragments would also put a reboot every few hundred lines)
  for f in "$top"/src/test/resources/traces/*hung*.txt; do
    for _ in 1 2; do cat "$short" >> "$chunk"; done
    grep -v '^#' "$f" >> "$chunk"
  done
  rm -f "$short"
else
  for f in "${hang_files[@]}"; do
    for _ in 1 2 3 4 5 6; do cat "$here/fragments/noise-dmesg.txt" >> "$chunk"; done
    grep -v '^#' "$f" >> "$chunk"
  done
fi
target=$((size_mb * 1024 * 1024))
: > "$out"
# doubling keeps the generator itself fast even for several GB
cp "$chunk" "$chunk.2"
while [ "$(stat -c %s "$chunk.2")" -lt $((target / 8 + 1)) ]; do cat "$chunk.2" "$chunk.2" > "$chunk.3"; mv "$chunk.3" "$chunk.2"; done
while [ "$(stat -c %s "$out")" -lt "$target" ]; do cat "$chunk.2" >> "$out"; done
truncate -s "$target" "$out"
echo "$out: $(stat -c %s "$out") bytes, $(wc -l < "$out") lines" >&2
