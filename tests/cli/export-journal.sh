# The journal export, read by the real ledger and hledger: their balance of
# Expenses:Grants equals phsg's net paid to the penny, after a void, a
# repayment and a recovery; hledger check passes; --as-of cuts by date.
. "$(dirname "$0")/lib.bash"
setup_payees
a=$(p award create --client "J1/O.Hara" --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
b=$(p award create --client J2 --package resettlement --need intensive=low --need basic=low \
	--start 2026-04-13 --method provider --payee P2)
c=$(p award create --client J3 --package housing-options --need basic=high \
	--start 2026-04-13 --method card --payee C1)
p run --allow-future --date 2026-04-13 >/dev/null
p batch void 1 >/dev/null
p run --allow-future --date 2026-06-08 >/dev/null           # pays the voided cycles again, and more
p award end "$a" --on 2026-05-01 >/dev/null  # overpaid: 18 days entitled
p run --allow-future --date 2026-06-08 >/dev/null
p recovery receive "$a" --amount 100.00 --on 2026-06-20 >/dev/null

p export --format ledger > "$work/all.journal"
json report balances --as-of 2030-01-01 --format json
paid=$(jqr .paid)
# maintenance high 42.80 a week: 3 cycles paid = 513.60, less 100.00 back = 413.60;
# resettlement 85.60 a week: 3 cycles = 1027.20; housing options 85.60 a week:
# 3 cycles = 1027.20.  413.60 + 1027.20 + 1027.20 = 2468.00.
check "phsg's net paid" "2468.00" "$paid"
lbal=$(ledger -f "$work/all.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')
check "ledger agrees" "$paid" "$lbal"
hbal=$(hledger -f "$work/all.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')
check "hledger agrees" "$paid" "$hbal"
hledger -f "$work/all.journal" check --strict >/dev/null 2>"$work/err" || { echo "FAILED: hledger check --strict"; cat "$work/err"; exit 1; }
check "the bank pays out what Expenses gets" "-$paid" "$(ledger -f "$work/all.journal" bal ^Assets:Bank | tail -1 | awk '{ print $1 }' | tr -d '£')"
check "tags readable by ledger" "$a" "$(ledger -f "$work/all.journal" reg ^Expenses --limit 'tag("award") =~ /'"$a"'/' --format '%(tag("award"))\n' | head -1)"

# Cut at a date: equals the balances report as of that date.
p export --format ledger --as-of 2026-05-11 > "$work/may.journal"
json report balances --as-of 2026-05-11 --format json
check "ledger as of 2026-05-11" "$(jqr .paid)" "$(ledger -f "$work/may.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')"

# CSV and JSON forms carry the same entries.
p export --format csv > "$work/all.csv"
json export --format json
check "entries" "$(($(wc -l < "$work/all.csv") - 1))" "$(jqr '.entries | length')"
# SPEC section 10: amounts are signed, so the sum over cycle, adjustment,
# opening, reversal and recovery rows is the net paid; summed in whole pence
# with shell integers: no floating point near money.
sum_pence() {
	local total=0 kind amount sign
	while read -r kind amount; do
		sign=1
		case $amount in -*) sign=-1; amount=${amount#-} ;; esac
		case $kind in cycle|adjustment|opening|reversal|recovery)
			total=$((total + sign * 10#${amount/./})) ;;
		esac
	done
	echo "$total"
}
check "json sums to net paid" "${paid/./}" "$(jq -r '.entries[] | "\(.kind) \(.amount)"' "$work/json" | sum_pence)"
# the CSV read by Python's csv module (a client's name holds a comma)
csvcol() { python3 -c 'import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="")): print(" ".join(r[c] for c in sys.argv[2:]))' "$@"; }
check "csv sums to net paid" "${paid/./}" "$(csvcol "$work/all.csv" kind amount | sum_pence)"
# every row names its payee; rows outside a batch have an empty batch cell
check "every csv row has a payee" "" "$(csvcol "$work/all.csv" payee | grep -x '' )"
check "the recovery row" "\"2026-06-20\",\"recovery\",\"$a\",\"J1/O.Hara\",\"long-term-support\",\"ras\",\"P1\",\"\",\"\",\"-100.00\",\"\"" "$(grep '"recovery"' "$work/all.csv" | tr -d '\r')"
check "the recovery in json" '{"kind":"recovery","payee":"P1","amount":"-100.00","batch":null}' "$(jqr '.entries[] | select(.kind == "recovery") | {kind, payee, amount, batch}' | jq -c .)"
check "no --format (exit 2)" "2" "$(status export)"

# The journal copied to a file (the kernel copies it) and into a pipe (read
# and written) is the same, byte for byte; a full disk is an error, never a
# short file with exit 0.
p export --format ledger | cmp -s - "$work/all.journal" || { echo "FAILED: a pipe and a file get different journals"; exit 1; }
# (phsg itself: a transcript's recorder would stand between it and the disk)
"${PHSG_REAL:-$PHSG}" --operator tester export --format ledger > /dev/full 2>"$work/err"
check "a full disk (exit 2)" "2" "$?"
check "a full disk's message" "phsg: error: cannot write the export to standard output" "$(cat "$work/err")"

# Reports as CSV (RFC 4180, libcsv quoting); a client reference may hold / and . (section 12).
# Entitled: 18 days (2026-04-13 to 2026-05-01) x 42.80 / 7 = 110.057 -> 110.06;
# paid 3 x 171.20 - 100.00 recovered = 413.60; balance -303.54 still to recover.
p report balances --as-of 2030-01-01 --format csv > "$work/bal.csv"
check "balances csv header" '"award","client","package","entitled","paid","balance","contributions"' "$(head -1 "$work/bal.csv" | tr -d '\r')"
check "balances csv row" "\"$a\",\"J1/O.Hara\",\"long-term-support\",\"110.06\",\"413.60\",\"-303.54\",\"0.00\"" "$(sed -n 2p "$work/bal.csv" | tr -d '\r')"
