# phsg scenario against an independent computation (tests/cli/scenario_check.py,
# exact fractions, segment by segment), for a few hundred rows under two
# schemes - the second raises the rate inside a financial year - over three
# financial years; and the bad-input cases.
. "$(dirname "$0")/lib.bash"
from=2025-04-01; to=2028-04-01; budget=250000.00
{
	echo "client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end"
	# across the 2026-10-01 rate change and the 2027-04-01 year boundary
	echo "X1,acquiring-independence,,,,,high,,low,2026-09-15,,"
	# across the 2025-04-01 start of the period
	echo "X2,long-term-support,,,,,,,medium,2024-06-30,,"
	# rows that must be left out (lines 4 to 7)
	echo "X3,gardening,,,,,high,,,2026-01-01,,"
	echo "X4,resettlement,,,,,,,high,2026-01-01,,"
	echo "X5,housing-options,,,,,,high,,2026-02-30,,"
	echo "X6,supported-living,7,,,,high,,,2026-01-01,,"
	"$root/tools/gen-caseload" 300 99 medway | tail -n +2 | cut -d, -f1-11
} > "$work/caseload.csv"
p scenario --caseload "$work/caseload.csv" --scenario current=config/medway.cfg \
	--scenario higher=tests/cli/data/medway-higher.cfg --from $from --to $to --budget $budget \
	--format json > "$work/s.json" 2> "$work/err" || { echo "FAILED: scenario"; cat "$work/err"; exit 1; }
python3 "$root/tests/cli/scenario_check.py" "$work/caseload.csv" "$work/s.json" $from $to $budget ||
	{ echo "FAILED: the independent computation disagrees"; exit 1; }
grep -q "line 4: left out: scenario 'current': unknown package 'gardening'" "$work/err" || { echo "FAILED: line 4"; cat "$work/err"; exit 1; }
grep -q "line 5: left out: scenario 'current': package 'resettlement' does not include the intervention 'maintenance'" "$work/err" || { echo "FAILED: line 5"; exit 1; }
grep -q "line 6: left out: '2026-02-30' is not a calendar date" "$work/err" || { echo "FAILED: line 6"; exit 1; }
grep -q "line 7: left out: scenario 'current': package 'supported-living' has no level 7" "$work/err" || { echo "FAILED: line 7"; exit 1; }
check "rows left out" "4" "$(jq .rows_left_out "$work/s.json")"
check "three years" "2025-26 2026-27 2027-28" "$(jq -r '[.scenarios[0].years[].year] | join(" ")' "$work/s.json")"
# the higher rate costs more from October 2026 only
check "same cost before the change" "0.00" "$(jq -r '.scenarios[1].years[0].difference_from_first.cost' "$work/s.json")"

# Row X1 alone, worked by hand.  10 + 0.5 = 10.5 h a week from 2026-09-15 for 12 months
# (to 2027-09-15).  2026-27: 16 days (to 10-01) at 21.40 then 182 days at 21.40 (current)
# or 23.10 (higher); 2027-28: 167 days.
#   current 2026-27: 198 x 10.5 x 21.40 / 7 = 6355.80;  2027-28: 167 x 10.5 x 21.40 / 7 = 5360.70
#   higher  2026-27: (16 x 21.40 + 182 x 23.10) x 10.5 / 7 = (342.40 + 4204.20) x 1.5 = 6819.90
#           2027-28: 167 x 23.10 x 1.5 = 5786.55
head -2 "$work/caseload.csv" > "$work/one.csv"
json scenario --caseload "$work/one.csv" --scenario current=config/medway.cfg \
	--scenario higher=tests/cli/data/medway-higher.cfg --from $from --to $to --format json
check "X1 current" "0.00 6355.80 5360.70" "$(jqr '[.scenarios[0].years[].cost] | join(" ")')"
check "X1 higher" "0.00 6819.90 5786.55" "$(jqr '[.scenarios[1].years[].cost] | join(" ")')"
check "X1 difference" "464.10" "$(jqr '.scenarios[1].years[1].difference_from_first.cost')"
check "X1 hours 2026-27" "297" "$(jqr '.scenarios[0].years[1].hours')"
check "X1 by intervention" "6053.14 302.66" "$(jqr '.scenarios[0].years[1].by_intervention | "\(.intensive) \(.maintenance)"')"
check "no budget: no headroom" "null" "$(jqr '.scenarios[0].years[1].headroom')"

# CSV and HTML
p scenario --caseload "$work/one.csv" --from $from --to $to --budget 6000 --format csv > "$work/s.csv"
grep -q '"default","2026-27","headroom","","-355.80"' "$work/s.csv" || { echo "FAILED: csv headroom"; cat "$work/s.csv"; exit 1; }
# break-even: 6000 / 297 hours = 20.2020... -> 20.20
grep -q '"default","2026-27","break_even_rate","","20.20"' "$work/s.csv" || { echo "FAILED: csv break-even"; exit 1; }
# hours to 2 places with the exact value beside (section 11): 297 in 2026-27; 2027-28:
# 167 days x 10.5 / 7 = 250.5
check "csv hours" '"default","2025-26","hours","","0.00","0"
"default","2026-27","hours","","297.00","297"
"default","2027-28","hours","","250.50","250.5"' "$(grep '"hours"' "$work/s.csv" | tr -d '\r')"
p scenario --caseload "$work/caseload.csv" --scenario current=config/medway.cfg \
	--scenario higher=tests/cli/data/medway-higher.cfg --from $from --to $to --budget $budget \
	--format html > "$work/s.html" 2>/dev/null
python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$work/s.html" ||
	{ echo "FAILED: the page is not well-formed"; exit 1; }
# charts: cost per year, cost by package, and one per package (7)
check "inline svg charts" "9" "$(grep -c '<svg xmlns' "$work/s.html")"
check "no scripts, nothing fetched" "0" "$(grep -ciE '<script|src=|href=|@import|url\(' "$work/s.html")"

# Scenario modelling never opens the ledger.
check "no ledger touched" "no" "$([ -e "$PHSG_LEDGER" ] && echo yes || echo no)"

# Bad input: exit 2 and a clear message.
check "missing caseload (exit 2)" "2" "$(status scenario --caseload "$work/nope.csv")"
grep -q "cannot read caseload" "$work/err" || { echo "FAILED: missing caseload message"; exit 1; }
printf 'client,package,start\nA,b,2026-01-01\n' > "$work/cols.csv"
check "missing column (exit 2)" "2" "$(status scenario --caseload "$work/cols.csv")"
grep -q "the header has no 'level' column" "$work/err" || { echo "FAILED: header message"; cat "$work/err"; exit 1; }
check "a scheme that fails, named (exit 2)" "2" "$(status scenario --caseload "$work/one.csv" --scenario broken=tests/cli/data/float-money.cfg)"
grep -q "scenario 'broken': tests/cli/data/float-money.cfg:12" "$work/err" || { echo "FAILED: scheme message"; cat "$work/err"; exit 1; }
check "--from after --to (exit 2)" "2" "$(status scenario --caseload "$work/one.csv" --from 2027-01-01 --to 2026-01-01)"
check "negative budget (exit 2)" "2" "$(status scenario --caseload "$work/one.csv" --budget -5)"
check "malformed budget (exit 2)" "2" "$(status scenario --caseload "$work/one.csv" --budget 12,000)"

# Tiers read as they come (issue 15's fast reading): a whole number from 1 is taken, anything
# else goes through the full checks, which name it.  Oxfordshire's tiered package, tiers 1 to 5.
{
	echo "client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end"
	echo "T1,older-people-tiered,,2,,,,,,2026-01-05,"
	echo "T2,older-people-tiered,,0,,,,,,2026-01-05,"
	echo "T3,older-people-tiered,,x,,,,,,2026-01-05,"
	echo "T4,older-people-tiered,,9,,,,,,2026-01-05,"
	echo "T5,older-people-tiered,,2,1,,,,,2026-01-05,"
	echo "T6,older-people-tiered,,2,0,,,,,2026-01-05,"
	echo "T7,older-people-tiered,,02,3,,,,,2026-01-05,"
} > "$work/tiers.csv"
p scenario --caseload "$work/tiers.csv" --scenario ox=config/oxfordshire.cfg --from 2026-04-01 \
	--to 2027-04-01 --format json > "$work/tiers.json" 2> "$work/tiers.err" ||
	{ echo "FAILED: tiers"; cat "$work/tiers.err"; exit 1; }
check "tiers: the rows left out, each with its reason" "phsg: $work/tiers.csv: line 3: left out: tier must be at least 1
phsg: $work/tiers.csv: line 4: left out: tier 'x' is not a whole number
phsg: $work/tiers.csv: line 5: left out: package 'older-people-tiered' has no tier 9 (tiers 1 to 5)
phsg: $work/tiers.csv: line 7: left out: chosen_tier must be at least 1
phsg: $work/tiers.csv: 4 rows left out of the totals" "$(grep -v 'not known to any scenario' "$work/tiers.err")"
check "tiers: the rows used" "3 4" "$(jq -r '"\(.rows_used) \(.rows_left_out)"' "$work/tiers.json")"
