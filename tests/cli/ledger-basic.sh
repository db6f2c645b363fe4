# A year of payment cycles for one award: partial first cycle, a due date
# rolled back over a bank holiday, idempotent runs, and a dry run whose
# output equals the real run's.
#
# Medway: maintenance high = 2 h x 21.40 = 42.80 a week = 6.1142857 a day.
# Cycles are 28 days from 2011-04-04; near the award they start on
# 2026-03-16, 04-13, 05-11, 06-08, 07-06, 08-03, 08-31, 09-28 ...
. "$(dirname "$0")/lib.bash"
setup_payees
ref=$(p award create --client K1 --package long-term-support --need maintenance=high \
	--start 2026-04-06 --method direct --payee P1)
check "award reference" "A000001" "$ref"

# Run on the start date: cycle [03-16, 04-13) covers 7 award days: 7 x 6.1142857 = 42.80.
json run --allow-future --date 2026-04-06 --format json
check "first run batch" "1" "$(jqr .batch)"
check "first payment" "42.80 cycle 2026-03-16 2026-04-13 2026-03-16 P1 direct" \
	"$(jqr '.payments[0] | "\(.amount) \(.kind) \(.cycle_start) \(.cycle_end) \(.due) \(.payee) \(.method)"')"

# The same date again: nothing new.
json run --allow-future --date 2026-04-06 --format json
check "idempotent: no batch" "null" "$(jqr .batch)"
check "idempotent: no payments" "0" "$(jqr '.payments | length')"

# 2026-05-11: cycles [04-13,05-11) and [05-11,06-08) fall due; each is 28 days = 171.20
# (cumulative: round(35 x 6.1142857) = 214.00 - 42.80; round(63 days) = 385.20 - 214.00).
json run --allow-future --date 2026-05-11 --format json
check "two cycles due" "171.20 171.20" "$(jqr '[.payments[].amount] | join(" ")')"
check "total" "342.40" "$(jqr .total)"
# The cycles processed are kept as ranges (cycle k starts 2011-04-04 + 28k; 2026-03-16
# is k = 195): batch 1 marked 195, batch 2 the run of two, 196 to 197, in one row.
check "processed as ranges" "1|195|195 2|196|197" \
	"$(sql_read "$PHSG_LEDGER" "SELECT batch_id, first_cycle, last_cycle FROM processed ORDER BY batch_id" | tr '\n' ' ' | sed 's/ $//')"

# An earlier date than the last run: nothing.
json run --allow-future --date 2026-05-01 --format json
check "earlier date posts nothing" "0" "$(jqr '.payments | length')"

# 2026-08-28 (a Friday): the cycle starting Monday 2026-08-31, the summer bank
# holiday, is due the previous working day, 2026-08-28.  Four cycles fall due.
before=$(snapshot)
json run --allow-future --date 2026-08-28 --format json --dry-run
dry=$(jq -c 'del(.batch)' "$work/json")
check "dry run writes nothing" "$before" "$(snapshot)"
check "dry run would be batch 3" "3" "$(jqr .batch)"
json run --allow-future --date 2026-08-28 --format json
real=$(jq -c 'del(.batch)' "$work/json")
check "dry run output equals the real run's" "$dry" "$real"
check "four cycles" "4" "$(jqr '.payments | length')"
check "rolled over the bank holiday" "2026-08-31 2026-08-28" "$(jqr '.payments[3] | "\(.cycle_start) \(.due)"')"
check "total of four" "684.80" "$(jqr .total)"

# Balances as of 2026-08-30: entitled 2026-04-06..2026-08-30 inclusive = 147 days
# = 147 x 6.1142857 = 898.80; paid (due on or before) 42.80 + 342.40 + 684.80 = 1070.00.
json report balances --as-of 2026-08-30 --format json
check "entitled" "898.80" "$(jqr '.awards[0].entitled')"
check "paid" "1070.00" "$(jqr '.awards[0].paid')"
check "balance" "-171.20" "$(jqr '.awards[0].balance')"

# The award's history shows the events and payments.
json award show A000001 --as-of 2026-08-30 --format json
check "show keys" "A000001 K1 long-term-support 2026-04-06 2028-04-06 active" \
	"$(jqr '"\(.award) \(.client) \(.package) \(.start) \(.end) \(.status)"')"
check "show payments" "7" "$(jqr '.payments | length')"
check "show paid" "1070.00" "$(jqr .paid)"
check "show entitled" "898.80" "$(jqr .entitled_to_date)"
check "operator recorded" "tester" "$(jqr '.events[0].operator')"

# The ledger file is private: it holds bank details (a PostgreSQL ledger's
# privacy is the server's roles).
sqlite_only
check "ledger mode" "600" "$(stat -c %a "$PHSG_LEDGER")"
