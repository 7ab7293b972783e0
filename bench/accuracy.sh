#!/usr/bin/env bash
# Accuracy of `hangdoctor analyze` on the corpus of real published hang reports (src/test/resources/corpus): each
# report goes through the built jar as a user would run it, and its first finding is compared with the source's own
# conclusion (the .meta beside it). Prints category and blocker rates overall, per category and per shape, the
# reports answered "nothing recognised" (exit 2) although they hold kernel evidence, and every miss.
# Usage: bench/accuracy.sh [REPORT_DIR]   (needs jq)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
top="$(dirname "$here")"
dir="${1:-$top/src/test/resources/corpus/reports}"
command -v jq >/dev/null || { echo "accuracy.sh: skipped: needs jq" >&2; exit 77; }
"$top/hangdoctor" --version >/dev/null   # builds the jar first when needed
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
evidence='blocked for more than|hung_task_timeout_secs|Call [Tt]race:|Backtrace:|soft lockup|hard LOCKUP|detected stalls? on CPU|self-detected stall|Out of memory|oom-kill|[A-Za-z_.][A-Za-z0-9_.]*\+0x[0-9a-f]+/0x[0-9a-f]+'
meta() { sed -n "s/^$1: *//p" "$2" | head -1; }
files=("$dir"/*.txt)
# BENCH_TINY=1: the first five reports (for the test that keeps every bench working)
[ -n "${BENCH_TINY:-}" ] && files=("${files[@]:0:5}")
for txt in "${files[@]}"; do
  m="${txt%.txt}.meta"
  [ -f "$m" ] || { echo "accuracy.sh: no meta for $txt" >&2; continue; }
  want=$(meta category "$m"); blocker=$(meta blocker "$m"); shape=$(meta shape "$m")
  set +e
  out=$("$top/hangdoctor" analyze --json "$txt" 2>/dev/null); rc=$?
  set -e
  if [ "$rc" -eq 2 ]; then
    got="nothing-recognised"; gotpid=""
  else
    got=$(printf '%s' "$out" | jq -r '.findings[0].category // "no-hang"' 2>/dev/null || echo "bad-json")
    gotpid=$(printf '%s' "$out" | jq -r '.findings[0].rootCause.pid // empty' 2>/dev/null || true)
  fi
  unrec=0
  if [ "$rc" -eq 2 ] && grep -Eq "$evidence" "$txt"; then unrec=1; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(basename "$txt" .txt)" "$want" "$got" "${blocker:--}" "${gotpid:--}" \
    "${shape:-none}" "$unrec" >> "$rows"
done
awk -F'\t' '
function pct(a, b) { return b ? sprintf("%5.1f %%", 100 * a / b) : "  n/a  " }
{
  n++; ok = ($2 == $3); cat_ok += ok
  per_cat_n[$2]++; per_cat_ok[$2] += ok
  k = split($6, shapes, ","); for (i = 1; i <= k; i++) { sh = shapes[i]; gsub(/^ +| +$/, "", sh); per_shape_n[sh]++; per_shape_ok[sh] += ok }
  if ($4 != "-") { bn++; bok += ($4 == $5) }
  if ($7 == 1) unrec[++un] = $1
  if (!ok || ($4 != "-" && $4 != $5)) miss[++mn] = sprintf("  %-55s expected %-10s%s got %s%s", $1, $2,
      ($4 != "-" ? " blocker " $4 : ""), $3, ($5 != "-" ? " blocker " $5 : ""))
}
END {
  printf "reports:               %d\n", n
  printf "category right:        %d/%d  %s\n", cat_ok, n, pct(cat_ok, n)
  printf "blocker right:         %d/%d  %s (reports naming a blocker)\n", bok, bn, pct(bok, bn)
  printf "nothing recognised on kernel evidence: %d\n", un
  print "\nper category:"; for (c in per_cat_n) printf "  %-22s %3d/%-3d %s\n", c, per_cat_ok[c], per_cat_n[c], pct(per_cat_ok[c], per_cat_n[c]) | "sort"
  close("sort")
  print "\nper shape:"; for (s in per_shape_n) printf "  %-22s %3d/%-3d %s\n", s, per_shape_ok[s], per_shape_n[s], pct(per_shape_ok[s], per_shape_n[s]) | "sort"
  close("sort")
  print "\nnothing recognised although the text holds a kernel stack or hang message:"
  for (i = 1; i <= un; i++) print "  " unrec[i]
  print "\nmisses (file, expected, got):"
  for (i = 1; i <= mn; i++) print miss[i]
}' "$rows"
