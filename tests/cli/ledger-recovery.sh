# An ending that leaves money to recover, recovery received, and the rules
# around it; voiding a batch; a rate change inside a cycle.
. "$(dirname "$0")/lib.bash"
setup_payees

# maintenance high = 42.80 a week = 6.1142857 a day, from 2026-04-13.
a=$(p award create --client E1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-06-08 --format json
check "three cycles paid" "513.60" "$(jqr .total)"
# Ended on 2026-05-25, backdated: entitled 42 days = 256.80; paid 513.60.
check "end" "$a ends: its last day is 2026-05-24" "$(p award end "$a" --on 2026-05-25)"
json run --allow-future --date 2026-06-08 --format json
check "nothing paid after the ending" "0" "$(jqr '.payments | length')"
check "recovery due" "256.80 P1 due from payee" \
	"$(jqr '.recoveries[0] | "\(.amount) \(.payee) \(.status)"')"
json report recoveries --as-of 2026-06-08 --format json
check "recoveries report" "$a P1 256.80" "$(jqr '.recoveries[0] | "\(.award) \(.payee) \(.amount)"')"
check "recoveries total" "256.80" "$(jqr .total)"
check "no extension after end (exit 1)" "1" "$(status award extend "$a")"
grep -q "was ended on 2026-05-25 and cannot be extended" "$work/err" || { echo "FAILED: end message"; exit 1; }
check "more than is owed refused (exit 1)" "1" "$(status recovery receive "$a" --amount 256.81 --on 2026-06-15)"
p recovery receive "$a" --amount 200.00 --on 2026-06-15 >/dev/null
json report recoveries --as-of 2026-06-30 --format json
check "partly recovered" "56.80" "$(jqr .total)"
p recovery receive "$a" --amount 56.80 --on 2026-06-20 >/dev/null
json report recoveries --as-of 2026-06-30 --format json
check "fully recovered" "0.00" "$(jqr .total)"
# the award shows each amount received, against its component (ras: the RAS hours)
json award show "$a" --as-of 2026-06-30 --format json
check "recoveries on the award" "ras 2026-06-15 200.00 P1|ras 2026-06-20 56.80 P1" \
	"$(jqr '[.recoveries[] | "\(.component) \(.received_on) \(.amount) \(.payee)"] | join("|")')"
json report balances --as-of 2026-06-30 --format json
check "balance after recovery" "256.80 256.80 0.00" \
	"$(jqr '.awards[0] | "\(.entitled) \(.paid) \(.balance)"')"
check "malformed amount (exit 2)" "2" "$(status recovery receive "$a" --amount 1.234 --on 2026-06-20)"

# The payee a recovery is due from is the one paid on the award's last day.  E2 is paid
# by P1, then by P2 from 2026-05-25: cycles from 04-13 and 05-11 to P1, from 06-08 to P2
# (3 x 171.20).  Ended on 2026-05-25, its last day 05-24 (P1's), it was entitled to 256.80
# as above: 256.80 is due from P1, not from P2, whose payments would start that day.
e=$(p award create --client E2 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
p award change-payee "$e" --from 2026-05-25 --method direct --payee P2 >/dev/null
json run --allow-future --date 2026-06-08 --format json
check "paid P1, P1, then P2" "171.20 P1|171.20 P1|171.20 P2" \
	"$(jqr '[.payments[] | "\(.amount) \(.payee)"] | join("|")')"
p award end "$e" --on 2026-05-25 >/dev/null
json run --allow-future --date 2026-06-08 --format json
check "recovery due from the last day's payee" "$e ras 256.80 P1 due from payee" \
	"$(jqr '[.recoveries[] | select(.award == "'"$e"'") | "\(.award) \(.component) \(.amount) \(.payee) \(.status)"] | join("|")')"

# --- Voiding a batch ----------------------------------------------------------
b=$(p award create --client V1 --package long-term-support --need maintenance=high \
	--start 2026-06-08 --method direct --payee P2)
json run --allow-future --date 2026-06-08 --format json
batch=$(jqr .batch)
check "voided batch paid 171.20" "171.20" "$(jqr .total)"
p batch void "$batch" >/dev/null
json batch show "$batch" --format json
check "reversed" "voided 0.00" "$(jqr '"\(.status) \(.total)"')"
json run --allow-future --date 2026-06-08 --format json
check "the next run pays the cycle again" "171.20" "$(jqr .total)"
again=$(jqr .batch)
p batch sent "$again" >/dev/null
check "a sent batch cannot be voided (exit 1)" "1" "$(status batch void "$again")"
check "unknown batch (exit 2)" "2" "$(status batch show 999)"

# --- Rate change inside a cycle -----------------------------------------------
# A scheme whose rate rises from 16.50 to 21.40 on 2026-04-20, inside the cycle
# [2026-04-13, 2026-05-11).  maintenance high = 2 h: 7 days at 33.00 a week = 33.00,
# 21 days at 42.80 a week = 128.40: 161.40 for the cycle; the next is 171.20.
export PHSG_CONFIG="$root/tests/cli/data/rate-change.cfg"
PHSG_LEDGER=$(new_ledger rates); export PHSG_LEDGER
setup_payees
r=$(p award create --client T1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-05-11 --format json
check "rate change inside a cycle" "161.40 171.20" "$(jqr '[.payments[].amount] | join(" ")')"
