# SPEC section 11: lists and the payments report, every filter and format, figures by
# hand.  Medway 21.40 an hour; cycles from 2026-04-13, 05-11, 06-08, 07-06.
#   L1 long-term-support, maintenance high: 2 h = 42.80 a week = 171.20 a cycle, to P1
#   L2 housing-options, basic high: 4 h = 85.60 a week = 342.40 a cycle, to P2, from 05-11
#   L3 resettlement, intensive low + basic low: 4 h = 85.60 a week, to C1 (card), ended 05-11
. "$(dirname "$0")/lib.bash"
setup_payees
a=$(p award create --client L1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
b=$(p award create --client L2 --package housing-options --need basic=high \
	--start 2026-05-11 --method provider --payee P2)
c=$(p award create --client L3 --package resettlement --need intensive=low --need basic=low \
	--start 2026-04-13 --method card --payee C1)
p award end "$c" --on 2026-05-11 >/dev/null
p run --allow-future --date 2026-04-13 >/dev/null   # batch 1: L1 171.20, L3 342.40
p run --allow-future --date 2026-05-11 >/dev/null   # batch 2: L1 171.20, L2 342.40
p run --allow-future --date 2026-06-08 >/dev/null   # batch 3: L1 171.20, L2 342.40
p batch sent 1 >/dev/null
p batch void 3 >/dev/null

# --- award list -----------------------------------------------------------------------------
json award list --as-of 2026-05-20 --format json
check "all, as of 05-20" "$a L1 long-term-support active 2026-04-13 2028-04-13 P1|$b L2 housing-options active 2026-05-11 2026-08-11 P2|$c L3 resettlement ended 2026-04-13 2026-05-11 C1" \
	"$(jqr '[.awards[] | "\(.award) \(.client) \(.package) \(.status) \(.start) \(.end) \(.payee)"] | join("|")')"
check "--client" "$b" "$(p award list --client L2 --format json | jq -r '[.awards[].award] | join(" ")')"
check "--payee" "$c" "$(p award list --payee C1 --format json | jq -r '[.awards[].award] | join(" ")')"
check "--package" "$a" "$(p award list --package long-term-support --format json | jq -r '[.awards[].award] | join(" ")')"
check "--status ended" "$c" "$(p award list --status ended --as-of 2026-05-20 --format json | jq -r '[.awards[].award] | join(" ")')"
check "--status not-started" "$b" "$(p award list --status not-started --as-of 2026-05-01 --format json | jq -r '[.awards[].award] | join(" ")')"
# on its first day an award is running; on its end (the first day not covered) it has ended
check "--status active on the start day" "$a $b" "$(p award list --status active --as-of 2026-05-11 --format json | jq -r '[.awards[].award] | join(" ")')"
check "--status ended on the end day" "$c" "$(p award list --status ended --as-of 2026-05-11 --format json | jq -r '[.awards[].award] | join(" ")')"
check "filters together" "" "$(p award list --client L1 --package housing-options --format json | jq -r '[.awards[].award] | join(" ")')"
check "a bad status (exit 2)" "2" "$(status award list --status finished)"
check "csv" "\"award\",\"client\",\"package\",\"status\",\"start\",\"end\",\"payee\"
\"$c\",\"L3\",\"resettlement\",\"ended\",\"2026-04-13\",\"2026-05-11\",\"C1\"" \
	"$(p award list --client L3 --as-of 2026-05-20 --format csv | tr -d '\r')"
check "text: the last day covered" "$c  L3               resettlement             ended       2026-04-13 to 2026-05-10 C1" \
	"$(p award list --client L3 --as-of 2026-05-20 | tail -1)"

# --- batch list ---------------------------------------------------------------------------------
json batch list --format json
check "batch list" "1 2026-04-13 sent 2 513.60|2 2026-05-11 posted 2 513.60|3 2026-06-08 voided 2 513.60" \
	"$(jqr '[.batches[] | "\(.batch) \(.date) \(.status) \(.payments) \(.total)"] | join("|")')"
check "batch list csv" '"batch","date","status","payments","total"
"1","2026-04-13","sent","2","513.60"' "$(p batch list --format csv | head -2 | tr -d '\r')"
check "batch list text" "1      2026-04-13 sent           2          £513.60" "$(p batch list | sed -n 2p)"
check "batch list takes no id (exit 2)" "2" "$(status batch list 1)"

# --- report payments --------------------------------------------------------------------------
# April and May: batch 1 (due 04-13) and batch 2 (due 05-11), 513.60 each = 1,027.20.
json report payments --from 2026-04-01 --to 2026-06-01 --format json
check "total = the batches in the period" "1027.20" "$(jqr .total)"
check "by package" '{"housing-options":"342.40","long-term-support":"342.40","resettlement":"342.40"}' \
	"$(jqr .by_package | jq -c -S .)"
check "by payee" '{"C1":"342.40","P1":"342.40","P2":"342.40"}' "$(jqr .by_payee | jq -c -S .)"
check "each payment" "4" "$(jqr '.payments | length')"
# June: batch 3 paid 513.60 and was voided: its reversals are due on the same days: 0.00.
check "a voided batch nets to nothing" "0.00 4" \
	"$(p report payments --from 2026-06-01 --to 2026-07-01 --format json | jq -r '"\(.total) \(.payments | length)"')"
check "--payee" "342.40" "$(p report payments --from 2026-04-01 --to 2026-06-01 --payee P1 --format json | jq -r .total)"
check "--package" "342.40 342.40" "$(p report payments --from 2026-04-01 --to 2026-06-01 --package housing-options --format json | jq -r '"\(.total) \(.by_payee.P2)"')"
check "csv rows" "5" "$(p report payments --from 2026-04-01 --to 2026-06-01 --format csv | wc -l)"
check "text total" "Total: £1,027.20 (4 payments)" "$(p report payments --from 2026-04-01 --to 2026-06-01 | tail -1)"
check "--to before --from (exit 2)" "2" "$(status report payments --from 2026-06-01 --to 2026-04-01)"
check "no --to (exit 2)" "2" "$(status report payments --from 2026-06-01)"
check "--as-of is not for payments (exit 2)" "2" "$(status report payments --from 2026-04-01 --to 2026-06-01 --as-of 2026-05-01)"
check "--payee is not for balances (exit 2)" "2" "$(status report balances --payee P1)"

# --- hours in CSV: to 2 places, exact beside (SPEC section 11) --------------------------------
# Commitments after 2028-03-31 for L1 (ends 2028-04-13): 12 days of 2 hours a week:
# 12 x 2 / 7 = 24/7 = 3.428... hours -> "3.43", exact "24/7"; 12 x 42.80 / 7 = 73.371 -> 73.37.
check "commitments csv" '"year","amount","hours","hours_exact"
"2028-29","73.37","3.43","24/7"' "$(p report commitments --as-of 2028-03-31 --format csv | tr -d '\r')"

# --- the live caseload, costed as a scenario, equals the commitments -------------------------
p export --format caseload --as-of 2026-05-20 > "$work/live.csv"
check "the caseload's rows" "L1 long-term-support high 2026-04-13 2028-04-13|L2 housing-options high 2026-05-11 2026-08-11" \
	"$(python3 -c 'import csv, sys
print("|".join(" ".join([r["client"], r["package"], r["maintenance"] or r["basic"], r["start"], r["end"]]) for r in csv.DictReader(open(sys.argv[1], newline=""))))' "$work/live.csv")"
json report commitments --as-of 2026-05-20 --format json
want=$(jqr '[.years[] | "\(.year) \(.amount)"] | join("|")')
json scenario --caseload "$work/live.csv" --from 2026-05-21 --to 2028-04-14 --format json
check "scenario from the day after = commitments" "$want" \
	"$(jqr '[.scenarios[0].years[] | "\(.year) \(.cost)"] | join("|")')"
