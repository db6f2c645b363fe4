# Backdated reassessment, suspension across a cycle boundary, an extension
# after a partial final cycle was paid, and a payee change, each with its
# figures worked by hand.  Medway rates: 21.40 an hour from 2024-04-01.
# Cycle boundaries: 2026-04-13, 05-11, 06-08, 07-06, 08-03, 08-31, 09-28, 10-26.
. "$(dirname "$0")/lib.bash"
setup_payees

# --- Backdated reassessment --------------------------------------------------
# maintenance medium = 1 h = 21.40 a week, from 2026-04-13.
a=$(p award create --client R1 --package long-term-support --need maintenance=medium \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-05-11 --format json
check "two cycles at 85.60" "85.60 85.60" "$(jqr '[.payments[].amount] | join(" ")')"
# Reassessed to high (2 h = 42.80 a week) from 2026-04-27, after both were paid.
p award reassess "$a" --from 2026-04-27 --need maintenance=high >/dev/null
# E(cycle ending 06-08) = 14 days x 21.40/7 + 42 days x 42.80/7 = 42.80 + 256.80 = 299.60;
# paid 171.20: an adjustment of 128.40, due on the run's date.
json run --allow-future --date 2026-05-11 --format json
check "adjustment" "128.40 adjustment 2026-05-11 2026-05-11 2026-06-08" \
	"$(jqr '.payments[0] | "\(.amount) \(.kind) \(.due) \(.cycle_start) \(.cycle_end)"')"
json run --allow-future --date 2026-05-11 --format json
check "reconciled: nothing more" "0" "$(jqr '.payments | length')"
# The next cycle is at the new rate: 470.80 - 299.60 = 171.20.
json run --allow-future --date 2026-06-08 --format json
check "next cycle at the new need" "171.20" "$(jqr '[.payments[] | select(.award == "'"$a"'")][0].amount')"

# --- Suspension across a cycle boundary ---------------------------------------
# maintenance high (42.80 a week = 6.1142857 a day) from 2026-06-08, suspended
# 2026-06-29 to 2026-07-13 (14 days, across the boundary of 2026-07-06).
b=$(p award create --client S1 --package long-term-support --need maintenance=high \
	--start 2026-06-08 --method direct --payee P1)
p award suspend "$b" --from 2026-06-29 --to 2026-07-13 >/dev/null
check "overlapping suspension refused (exit 1)" "1" "$(status award suspend "$b" --from 2026-07-01)"
grep -q "already suspended from 2026-06-29" "$work/err" || { echo "FAILED: overlap message"; cat "$work/err"; exit 1; }
# cycle [06-08,07-06): 21 active days = 128.40; cycle [07-06,08-03): 21 active days
# (07-13..08-03): cumulative 42 days = 256.80, so 128.40.
json run --allow-future --date 2026-07-06 --format json
check "suspension: cycle payments" "128.40 128.40" \
	"$(jqr '[.payments[] | select(.award == "'"$b"'") | .amount] | join(" ")')"
# An open suspension and a resume: from 2026-08-10, resumed 2026-08-17 (7 days off).
p award suspend "$b" --from 2026-08-10 >/dev/null
p award resume "$b" --on 2026-08-17 >/dev/null
# cycle [08-03,08-31): 21 active days = 128.40
json run --allow-future --date 2026-08-03 --format json
check "suspended week not paid" "128.40" \
	"$(jqr '[.payments[] | select(.award == "'"$b"'") | .amount] | join(" ")')"

# --- Extension after a partial final cycle was paid ------------------------------
# Resettlement, intensive low 3 h + basic low 1 h = 4 h = 85.60 a week = 12.2285714 a day,
# 6 months from 2026-04-13 to 2026-10-13 (183 days), extendable to 12 months.
c=$(p award create --client X1 --package resettlement --need intensive=low --need basic=low \
	--start 2026-04-13 --method direct --payee P2)
json run --allow-future --date 2026-09-28 --format json
# six full cycles of 342.40, then the partial final cycle: round(183 x 12.2285714)
# = round(2237.8285) = 2237.83, less 6 x 342.40 = 2054.40, is 183.43.
check "partial final cycle" "342.40 342.40 342.40 342.40 342.40 342.40 183.43" \
	"$(jqr '[.payments[] | select(.award == "'"$c"'") | .amount] | join(" ")')"
# Past the ceiling: refused, stating the ceiling and the would-be total.
check "extension past the ceiling refused (exit 1)" "1" "$(status award extend "$c" --months 7)"
grep -q "would reach 13 months (to 2027-05-13), past the ceiling of package 'resettlement': up to 12 months (to 2027-04-13)" \
	"$work/err" || { echo "FAILED: ceiling message"; cat "$work/err"; exit 1; }
check "default extension" "$c extended by 6 months: it now runs to 2027-04-12" "$(p award extend "$c")"
# The last due cycle [09-28,10-26) now has 28 days: E = 196 x 12.2285714 = 2396.80;
# paid 2237.83: an adjustment of 158.97.
json run --allow-future --date 2026-09-28 --format json
check "extension adjustment" "158.97 adjustment" \
	"$(jqr '.payments[] | select(.award == "'"$c"'") | "\(.amount) \(.kind)"')"
check "no room left (exit 1)" "1" "$(status award extend "$c")"
grep -q "has no room to extend" "$work/err" || { echo "FAILED: no room message"; exit 1; }

# --- Payee change ----------------------------------------------------------------
d=$(p award create --client Y1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
p award change-payee "$d" --from 2026-05-11 --method provider --payee P2 >/dev/null
check "card method needs a card payee (exit 2)" "2" "$(status award change-payee "$d" --from 2026-06-08 --method card --payee P1)"
json run --allow-future --date 2026-06-08 --format json
check "payees by due date" "P1 direct|P2 provider|P2 provider" \
	"$(jqr '[.payments[] | select(.award == "'"$d"'") | "\(.payee) \(.method)"] | join("|")')"
