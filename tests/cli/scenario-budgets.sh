# phsg scenario against a budget per financial year (SPEC section 13): the
# schemes' own `budgets`, --budget YYYY-YY=AMOUNT and --budget AMOUNT, a part
# year prorated by days, figures worked by hand and recomputed independently
# (tests/cli/scenario_check.py, exact fractions); the refusals (file:line,
# exit 2); and the HTML page as Chromium reads it.
. "$(dirname "$0")/lib.bash"
cur=tests/cli/data/medway-budgets.cfg        # y2026 4000.00, y2027 3900.00, y2028 4000.00
hi=tests/cli/data/medway-higher-budgets.cfg  # y2026 4100.00, y2027 4300.00, none for 2028-29
two=(--scenario "current=$cur" --scenario "higher=$hi")

# One person, worked by hand.  H1: acquiring-independence, intensive low (3 h)
# + maintenance low (0.5 h) = 3.5 h a week from 2026-04-01 to 2028-10-01.
# The period 2026-04-01 to 2028-10-01 covers 2026-27 (365 days), 2027-28
# (366: 29 February 2028) and 2028-29 in part: 2028-04-01 to 2028-09-30,
# 30+31+30+31+31+30 = 183 of its 365 days.
#   current, 21.40 an hour: 3.5 x 21.40 / 7 = 10.70 a day, 0.5 hours a day
#     2026-27: 365 x 10.70 = 3905.50, 182.5 h;  2027-28: 366 x 10.70 = 3916.20, 183 h
#     2028-29: 183 x 10.70 = 1958.10, 91.5 h
#   higher, 23.10 from 2026-10-01: 3.5 x 23.10 / 7 = 11.55 a day
#     2026-27: 183 x 10.70 + 182 x 11.55 = 1958.10 + 2102.10 = 4060.20
#     2027-28: 366 x 11.55 = 4227.30;  2028-29: 183 x 11.55 = 2113.65
# Budgets, each scenario its own scheme's:
#   current 2026-27: 4000.00; headroom 4000.00 - 3905.50 = 94.50; break-even 4000 / 182.5 = 21.917... = 21.92
#           2027-28: 3900.00; headroom -16.20 (over budget); break-even 3900 / 183 = 21.311... = 21.31
#           2028-29: 4000.00 x 183 / 365 = 2005.479452... = 2005.48 (prorated, rounded once)
#                    headroom 2005.48 - 1958.10 = 47.38; break-even 2005.48 / 91.5 = 21.917... = 21.92
#   higher  2026-27: 4100.00; headroom 39.80; break-even 4100 / 182.5 = 22.465... = 22.47
#           2027-28: 4300.00; headroom 72.70; break-even 4300 / 183 = 23.497... = 23.50
#           2028-29: no budget: headroom and break-even null
from=2026-04-01; to=2028-10-01
{
	echo "client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end"
	echo "H1,acquiring-independence,,,,,low,,low,2026-04-01,2028-10-01"
} > "$work/h1.csv"
json scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to --format json
y() { jqr "[.scenarios[$1].years[] | .$2 | tostring] | join(\" \")"; }
check "current cost" "3905.50 3916.20 1958.10" "$(y 0 cost)"
check "current hours" "182.5 183 91.5" "$(y 0 hours)"
check "days modelled" "365 366 183" "$(y 0 days)"
check "days in each year" "365 366 365" "$(y 0 days_in_year)"
check "current budgets (2028-29 prorated)" "4000.00 3900.00 2005.48" "$(y 0 budget)"
check "current budgets as set" "4000.00 3900.00 4000.00" "$(y 0 budget_full_year)"
check "current prorated" "false false true" "$(y 0 budget_prorated)"
check "current headroom" "94.50 -16.20 47.38" "$(y 0 headroom)"
check "current break-even" "21.92 21.31 21.92" "$(y 0 break_even_rate)"
check "higher cost" "4060.20 4227.30 2113.65" "$(y 1 cost)"
check "higher budgets (none for 2028-29)" "4100.00 4300.00 null" "$(y 1 budget)"
check "higher prorated" "false false false" "$(y 1 budget_prorated)"
check "higher headroom" "39.80 72.70 null" "$(y 1 headroom)"
check "higher break-even" "22.47 23.50 null" "$(y 1 break_even_rate)"
check "budgets from the schemes" "scheme scheme" "$(jqr '[.scenarios[].budgets_from] | join(" ")')"
python3 tests/cli/scenario_check.py "$work/h1.csv" "$work/json" $from $to scheme >/dev/null ||
	{ echo "FAILED: the independent computation disagrees (H1)"; exit 1; }

# Text: the budget row ("-" where none), the part year and its proration written out.
p scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to > "$work/t.txt" ||
	{ echo "FAILED: text"; exit 1; }
grep -q "^Budgets: each scenario's own, from the budgets in its scheme file$" "$work/t.txt" ||
	{ echo "FAILED: text budgets source"; cat "$work/t.txt"; exit 1; }
grep -q "^2028-29 (2028-04-01 to 2028-09-30: 183 of the year's 365 days)$" "$work/t.txt" ||
	{ echo "FAILED: text part year"; exit 1; }
check "text budget row 2028-29" "Budget £2,005.48 * -" \
	"$(sed -n '/^2028-29/,$p' "$work/t.txt" | grep '^  Budget ' | tr -s ' ' | sed 's/^ //')"
check "text headroom row 2028-29" "Headroom (budget - cost) £47.38 -" \
	"$(sed -n '/^2028-29/,$p' "$work/t.txt" | grep '^  Headroom' | tr -s ' ' | sed 's/^ //')"
grep -q "^  \* Budget prorated by days: only 183 of the year's 365 days are modelled\.$" "$work/t.txt" ||
	{ echo "FAILED: text proration note"; exit 1; }
grep -q "^    current: £4,000.00 x 183 / 365 = £2,005.48 (rounded half-up)$" "$work/t.txt" ||
	{ echo "FAILED: text proration sum"; exit 1; }

# CSV: budget rows, empty where there is none, "prorated" for the part year.
p scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to --format csv | tr -d '\r' > "$work/s.csv"
check "csv budgets" '"current","2026-27","budget","","4000.00",""
"current","2027-28","budget","","3900.00",""
"current","2028-29","budget","prorated","2005.48",""
"higher","2026-27","budget","","4100.00",""
"higher","2027-28","budget","","4300.00",""
"higher","2028-29","budget","","",""' "$(grep '"budget"' "$work/s.csv")"
grep -qx '"higher","2028-29","headroom","","",""' "$work/s.csv" || { echo "FAILED: csv no headroom"; exit 1; }

# --budget YYYY-YY=AMOUNT sets every scenario's budgets in place of the schemes'.
json scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to --format json \
	--budget 2026-27=4000 --budget 2027-28=3900.00 --budget 2028-29=4000
check "--budget for both" "2005.48 2005.48" "$(jqr '[.scenarios[].years[2].budget] | join(" ")')"
# higher 2028-29: 2005.48 - 2113.65 = -108.17; break-even 2005.48 / 91.5 = 21.92
check "higher 2028-29 against --budget" "-108.17 21.92" "$(jqr '.scenarios[1].years[2] | "\(.headroom) \(.break_even_rate)"')"
check "budgets from --budget" "--budget --budget" "$(jqr '[.scenarios[].budgets_from] | join(" ")')"
python3 tests/cli/scenario_check.py "$work/h1.csv" "$work/json" $from $to 2026-27=4000,2027-28=3900,2028-29=4000 >/dev/null ||
	{ echo "FAILED: the independent computation disagrees (--budget per year)"; exit 1; }
# only some years named: the others have none (the schemes' budgets are not used)
json scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to --format json --budget 2027-28=3900
check "one year named" "null 3900.00 null" "$(y 0 budget)"
# --budget AMOUNT: every year; 2028-29 prorated: 5000 x 183 / 365 = 2506.849... = 2506.85
json scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to --format json --budget 5000
check "--budget every year" "5000.00 5000.00 2506.85" "$(y 1 budget)"
# ... and with a year of its own: 2027-28 3900.00, the others 5000.00
json scenario --caseload "$work/h1.csv" "${two[@]}" --from $from --to $to --format json --budget 5000 --budget 2027-28=3900
check "--budget every year but one" "5000.00 3900.00 2506.85" "$(y 0 budget)"

# A part year at the start too, over a generated caseload: 2026-07-15 to
# 2027-03-31 is 260 of 365 days, 2028-04-01 to 2028-09-30 is 183 of 365.
# Each year's cost, headroom and break-even recomputed independently.
{
	echo "client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end"
	"$root/tools/gen-caseload" 300 7 medway | tail -n +2 | cut -d, -f1-11
} > "$work/caseload.csv"
for budgets in scheme 2026-27=120000.50,2027-28=150000,2028-29=90000 250000.00; do
	args=()
	case $budgets in
	scheme) ;;
	*,*) IFS=, read -ra parts <<< "$budgets"; for b in "${parts[@]}"; do args+=(--budget "$b"); done ;;
	*) args=(--budget "$budgets") ;;
	esac
	p scenario --caseload "$work/caseload.csv" "${two[@]}" --from 2026-07-15 --to 2028-10-01 \
		"${args[@]}" --format json > "$work/g.json" 2>/dev/null || { echo "FAILED: scenario ($budgets)"; exit 1; }
	python3 tests/cli/scenario_check.py "$work/caseload.csv" "$work/g.json" 2026-07-15 2028-10-01 "$budgets" \
		> "$work/check.out" || { echo "FAILED: the independent computation disagrees ($budgets)"; exit 1; }
	grep -q "6 scenario-years agree" "$work/check.out" || { echo "FAILED: checked"; cat "$work/check.out"; exit 1; }
done
# prorated: the first and last years of both scenarios with --budget 250000.00
grep -q "(4 budgets prorated)" "$work/check.out" || { echo "FAILED: prorated count"; cat "$work/check.out"; exit 1; }

# --budget refusals: exit 2, the option named, nothing printed on stdout.
refuse() { # refuse WHAT MESSAGE BUDGET-OPTIONS...
	local what=$1 msg=$2
	shift 2
	check "$what (exit 2)" "2" "$(status scenario --caseload "$work/h1.csv" --from $from --to $to "$@")"
	grep -qF -- "$msg" "$work/err" || { echo "FAILED: $what: message"; cat "$work/err"; exit 1; }
	[ ! -s "$work/out" ] || { echo "FAILED: $what: printed"; exit 1; }
}
refuse "a year that is not one" "--budget 2026-28=1: '2026-28' is not a financial year: the year starting in April 2026 is 2026-27" --budget 2026-28=1
refuse "a year written otherwise" "--budget 2026/27=1: '2026/27' is not a financial year (write it as 2026-27" --budget 2026/27=1
refuse "a long year" "--budget 2026-2027=1: '2026-2027' is not a financial year (write it as 2026-27: the year from 1 April 2026 to 31 March 2027)" --budget 2026-2027=1
refuse "no year" "--budget =5: '' is not a financial year" --budget =5
refuse "no amount" "--budget 2026-27=: '' is not a non-negative decimal number" --budget 2026-27=
refuse "a negative budget" "--budget 2026-27=-1.00: '-1.00' is negative" --budget 2026-27=-1.00
refuse "a negative budget for every year" "--budget -5: '-5' is negative" --budget -5
refuse "three decimal places" "'1.005' has more than two decimal places" --budget 2026-27=1.005
refuse "thousands separators" "'12,000' is not a non-negative decimal number" --budget 2026-27=12,000
refuse "too large" "1000000000000.00 is more than 999,999,999,999.99, the largest budget" --budget 2026-27=1000000000000.00
refuse "a year twice" "--budget 2026-27=2: 2026-27 already has a budget (--budget 2026-27=1)" --budget 2026-27=1 --budget 2026-27=2
refuse "two amounts for every year" "--budget 5 and --budget 6: one amount for every year at most" --budget 5 --budget 6
refuse "a year outside the period" "--budget 2030-31=1: the period modelled (2026-27 to 2028-29) has no day in that year" --budget 2030-31=1
check "the largest budget (exit 0)" "0" "$(status scenario --caseload "$work/h1.csv" --from $from --to $to --budget 2026-27=999999999999.99)"

# The scheme's budgets group: each fault named with file:line and the setting,
# by check-config and by scenario alike (exit 2).
sed "s|\"../../../config/bank-holidays|\"$root/config/bank-holidays|" "$cur" > "$work/ok.cfg"
line=$(grep -n '^  y2026 = ' "$work/ok.cfg" | cut -d: -f1)
bad_scheme() { # bad_scheme WHAT REPLACEMENT-FOR-THE-y2026-LINE MESSAGE [LINE-NAMED]
	local at=${4:-$line}
	sed "${line}s|.*|$2|" "$work/ok.cfg" > "$work/bad.cfg"
	check "$1 (check-config exit 2)" "2" "$(status check-config "$work/bad.cfg")"
	grep -qF -- "$work/bad.cfg:$at: $3" "$work/err" || { echo "FAILED: $1: message"; cat "$work/err"; exit 1; }
	check "$1 (scenario exit 2)" "2" "$(status scenario --caseload "$work/h1.csv" --scenario "b=$work/bad.cfg")"
	grep -qF -- "scenario 'b': $work/bad.cfg:$at: $3" "$work/err" || { echo "FAILED: $1: scenario message"; cat "$work/err"; exit 1; }
}
bad_scheme "a float" '  y2026 = 4000.0;' "budgets.y2026: is written as a float; floats cannot hold pence exactly"
bad_scheme "a whole number" '  y2026 = 4000;' "budgets.y2026: must be a decimal string in quotes"
bad_scheme "negative" '  y2026 = "-4000.00";' "budgets.y2026: '-4000.00' is negative: a budget is at least 0.00"
bad_scheme "three places" '  y2026 = "4000.001";' "budgets.y2026: '4000.001' has more than two decimal places"
bad_scheme "too large" '  y2026 = "1000000000000";' "budgets.y2026: 1000000000000 is more than 999,999,999,999.99, the largest budget"
bad_scheme "a key not yNNNN" '  y26 = "4000.00";' "budgets.y26: unknown setting 'y26': a budget is named y and the year"
bad_scheme "a key named as the year" '  fy2026 = "4000.00";' "budgets.fy2026: unknown setting 'fy2026'"
bad_scheme "a year out of range" '  y1800 = "4000.00";' "budgets.y1800: financial years run from y1900 to y9998"
# y2027 twice: libconfig names the line of the second
bad_scheme "the same year twice" '  y2027 = "4000.00";' "duplicate setting name" $((line + 1))
{ sed '/^budgets = {/,$d' "$work/ok.cfg"; echo 'budgets = [ "4000.00" ];'; } > "$work/bad.cfg"
check "an array, not a group (exit 2)" "2" "$(status check-config "$work/bad.cfg")"
grep -qF "bad.cfg:$((line - 2)): budgets: must be a group" "$work/err" || { echo "FAILED: an array: message"; cat "$work/err"; exit 1; }
# config/medway.cfg documents the group as a comment: uncommented, it loads
sed "s|^# budgets = {|budgets = {|; s|^#   \(y20[0-9][0-9] = \)|  \1|; s|^# };|};|; s|\"bank-holidays|\"$root/config/bank-holidays|" \
	config/medway.cfg > "$work/medway-uncommented.cfg"
grep -q '^  y2026 = "15359116.00";' "$work/medway-uncommented.cfg" || { echo "FAILED: the example in medway.cfg"; exit 1; }
check "medway.cfg's example loads" "0" "$(status check-config "$work/medway-uncommented.cfg")"
json scenario --caseload "$work/h1.csv" --scenario "m=$work/medway-uncommented.cfg" --from 2026-04-01 --to 2027-04-01 --format json
check "medway.cfg's example budget" "15359116.00" "$(jqr '.scenarios[0].years[0].budget')"

# The page, as Chromium reads it: packages by name, round ticks, one scale for
# every package, budget lines, the part year marked; no NaN or undefined.
p scenario --caseload "$work/caseload.csv" "${two[@]}" --from 2026-07-15 --to 2028-10-01 --format html \
	> "$work/s.html" 2>/dev/null || { echo "FAILED: html"; exit 1; }
p scenario --caseload "$work/caseload.csv" "${two[@]}" --from 2026-07-15 --to 2028-10-01 --format json \
	> "$work/s.json" 2>/dev/null
python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$work/s.html" ||
	{ echo "FAILED: the page is not well-formed"; exit 1; }
check "no scripts, nothing fetched" "0" "$(grep -ciE '<script|src=|href=|@import|url\(' "$work/s.html")"
command -v chromium >/dev/null || { echo "FAILED: chromium is not installed (tools/setup installs it)"; exit 1; }
timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$work/chromium" \
	--dump-dom "file://$work/s.html" > "$work/dom.html" 2> "$work/chromium.err" ||
	{ echo "FAILED: chromium --dump-dom"; tail -5 "$work/chromium.err"; exit 1; }
python3 tests/cli/scenario_html_check.py "$work/dom.html" "$work/s.json" "$cur" "$hi" ||
	{ echo "FAILED: the page as Chromium reads it"; exit 1; }
echo "scenario-budgets: ok"
