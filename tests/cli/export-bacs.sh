# Bacs Standard 18 and card files for a batch mixing bank and card payees,
# names with apostrophes, ampersands and accents, and amounts from £0.01 to
# over £10,000; every record worked out by hand below.
. "$(dirname "$0")/lib.bash"
export PHSG_CONFIG="$root/tests/cli/data/export.cfg"
p payee add P-ZOE --name "Zoë O'Brien-Smith & Co" --sort-code 401234 --account 11112222 >/dev/null
p payee add P-AERO --name "Ærø Housing Ltd" --sort-code 209999 --account 87654321 >/dev/null
p payee add K-CARD --name "Card Person" --card 6011000099990001 >/dev/null
# A000001: one day (2026-04-12) at 0.07 a week = 0.01, in the cycle [2026-03-16, 2026-04-13).
p award create --client "Z1" --package test --need tiny=high --start 2026-04-12 --method direct --payee P-ZOE >/dev/null
# A000002: a whole cycle at 3000.00 a week = 12000.00.
p award create --client "A1" --package test --need big=high --start 2026-03-16 --method provider --payee P-AERO >/dev/null
# A000003: a whole cycle at 1 h x 20.00 = 20.00 a week = 80.00, onto a card.
p award create --client "C1" --package test --need big=low --start 2026-03-16 --method card --payee K-CARD >/dev/null
json run --allow-future --date 2026-04-10 --format json
check "the batch" "0.01 12000.00 80.00" "$(jqr '[.payments[].amount] | join(" ")')"

# Processing day 2026-04-10 (a Friday) is day 100 of 2026 (31 + 28 + 31 + 10): " 26100".
# The batch was made on 2026-04-10 too.  Serial: batch 1.  Originator 654321,
# 112233 44556677, "TEST COUNCIL".  Credits: 0.01 + 12000.00 = 1200001 pence, 2 records.
s() { printf '%s\r\n' "$1"; }
blank() { printf '%*s' "$1" ''; }
# Labels: VOL1 = label, serial, accessibility blank, 26 blanks, 4 blanks, the
# service user number, 4 blanks, 28 blanks, "1".  HDR1 = label, "A" SUN "S"
# 2 blanks "1" SUN, serial, section 0001, sequence 0001, 6 blanks, creation
# and expiry dates, a blank, block count 000000, 20 blanks.
{
	s "VOL1000001$(blank 31)654321$(blank 32)1"
	s "HDR1A654321S  1654321""000001""0001""0001""$(blank 6)"" 26100"" 26100"" ""000000""$(blank 20)"
	s "HDR2""F""02000""00100""$(blank 35)""00""$(blank 28)"
	s "UHL1"" 26100""999999    ""00""000000""1 DAILY  ""001""$(blank 40)"
	# sort, account, type 0, code 99, originator's sort and account, 4 blanks,
	# pence (11 digits), originator's name, reference, payee's name (18 each)
	s "401234""11112222""0""99""112233""44556677""    ""00000000001""TEST COUNCIL      ""A000001 260316    ""ZOE OBRIEN-SMITH &"
	s "209999""87654321""0""99""112233""44556677""    ""00001200000""TEST COUNCIL      ""A000002 260316    ""ARO HOUSING LTD   "
	# the contra: code 17, from the originator's own account, for the total
	s "112233""44556677""0""17""112233""44556677""    ""00001200001""TEST COUNCIL      ""CONTRA            ""TEST COUNCIL      "
	s "EOF1A654321S  1654321""000001""0001""0001""$(blank 6)"" 26100"" 26100"" ""000000""$(blank 20)"
	s "EOF2""F""02000""00100""$(blank 35)""00""$(blank 28)"
	# debit value, credit value (13 digits), debit count, credit count (7 digits)
	s "UTL1""0000001200001""0000001200001""0000001""0000002""$(blank 36)"
} > "$work/expected.bacs"
p batch export 1 --format bacs --processing-date 2026-04-10 > "$work/got.bacs"
if ! cmp -s "$work/expected.bacs" "$work/got.bacs"; then
	echo "FAILED: the Bacs file differs from the one worked out by hand"
	diff <(cat -A "$work/expected.bacs") <(cat -A "$work/got.bacs")
	exit 1
fi
check "every label 80 and every record 100 characters" "80 80 80 80 100 100 100 80 80 80" \
	"$(tr -d '\r' < "$work/got.bacs" | awk '{ printf "%s%d", (NR > 1 ? " " : ""), length($0) }')"
p batch export 1 --format bacs --processing-date 2026-04-10 > "$work/again.bacs"
check "byte-identical re-export" "same" "$(cmp -s "$work/got.bacs" "$work/again.bacs" && echo same)"
# Without --processing-date the batch's own date (a working day) is used.
p batch export 1 --format bacs > "$work/default.bacs"
check "default processing day" "same" "$(cmp -s "$work/got.bacs" "$work/default.bacs" && echo same)"
check "a weekend processing day (exit 2)" "2" "$(status batch export 1 --format bacs --processing-date 2026-04-11)"

# The card file: the card payment only.
p batch export 1 --format card > "$work/card.csv"
check "card file" "$(printf '"card_id","amount","reference","payee","name"\r\n"6011000099990001","80.00","A000003 260316","K-CARD","Card Person"\r\n')" \
	"$(cat "$work/card.csv")"

# CSV and JSON of the whole batch.
p batch export 1 --format csv > "$work/batch.csv"
check "csv rows" "4" "$(wc -l < "$work/batch.csv" | tr -d ' ')"
grep -q '"A000002","A1","test","ras","cycle","2026-03-16","2026-04-13","2026-03-16","12000.00","P-AERO","provider"' \
	"$work/batch.csv" || { echo "FAILED: csv row"; cat "$work/batch.csv"; exit 1; }
json batch export 1 --format json
check "json total" "12080.01" "$(jqr .total)"

# Remittance: one advice per payee.
p batch remittance 1 --payee P-AERO > "$work/advice.txt"
grep -q "To: Ærø Housing Ltd (P-AERO)" "$work/advice.txt" || { echo "FAILED: advice header"; cat "$work/advice.txt"; exit 1; }
grep -q "Total paid: £12,000.00" "$work/advice.txt" || { echo "FAILED: advice total"; exit 1; }
check "advice for a payee not in the batch (exit 2)" "2" "$(status batch remittance 1 --payee NOBODY)"
p batch remittance 1 --format csv > "$work/advice.csv"
check "remittance csv rows" "4" "$(wc -l < "$work/advice.csv" | tr -d ' ')"
# Whole: one row per payment, payees in the order they first appear; a
# cycle's share is E(cycle end) - E(cycle start): A000001's one day is 0.01,
# A000002's whole cycle 12000.00, A000003's 4 x 20.00 = 80.00; each paid in
# full, so nothing is netted.
check "remittance csv" '"batch","payee","name","award","client","component","kind","cycle_start","cycle_end","due","cycle_share","amount","netted"
"1","P-ZOE","Zoë O'"'"'Brien-Smith & Co","A000001","Z1","ras","cycle","2026-03-16","2026-04-13","2026-03-16","0.01","0.01","0.00"
"1","P-AERO","Ærø Housing Ltd","A000002","A1","ras","cycle","2026-03-16","2026-04-13","2026-03-16","12000.00","12000.00","0.00"
"1","K-CARD","Card Person","A000003","C1","ras","cycle","2026-03-16","2026-04-13","2026-03-16","80.00","80.00","0.00"' \
	"$(tr -d '\r' < "$work/advice.csv")"
# The text advice, its columns under its header (widths 8, 12, 10, 24, 10,
# 12, 12); the days are the cycle's first and last (2026-04-12).
advice_head() { # PAYEE NAME SORT ACCOUNT-END BATCH RUN-DATE
	printf 'REMITTANCE ADVICE\nExport test\n\nTo: %s (%s)\n' "$2" "$1"
	printf 'Paid to: sort code %s, account ending %s\nPayment batch %s, run on %s\n\n' "$3" "$4" "$5" "$6"
	printf '%-8s %-12s %-10s %-24s %-10s %12s %12s\n' Award Client Component "For the days" Due "Cycle share" Paid
}
{
	advice_head P-AERO "Ærø Housing Ltd" 20-99-99 4321 1 2026-04-10
	printf '%-8s %-12s %-10s %-24s %-10s %12s %12s\n' A000002 A1 ras "2026-03-16 to 04-12" 2026-03-16 12000.00 12000.00
	printf '\nTotal paid: £12,000.00\n\f\n'
} > "$work/advice.want"
cmp -s "$work/advice.want" "$work/advice.txt" ||
	{ echo "FAILED: the advice for P-AERO"; diff "$work/advice.want" "$work/advice.txt"; exit 1; }

# Bad bank details (as if edited behind phsg's back): no file at all, every payment named.
sql_on "$PHSG_LEDGER" "UPDATE payees SET sort_code = '12AB56' WHERE ref = 'P-ZOE'"
check "invalid sort code (exit 2)" "2" "$(status batch export 1 --format bacs)"
check "nothing on stdout" "0" "$(wc -c < "$work/out" | tr -d ' ')"
grep -q "A000001 260316 (sort code is not 6 digits)" "$work/err" || { echo "FAILED: message"; cat "$work/err"; exit 1; }
sql_on "$PHSG_LEDGER" "UPDATE payees SET sort_code = '401234' WHERE ref = 'P-ZOE'"

# No originator in the scheme: refused.
check "no finance group (exit 2)" "2" "$(PHSG_CONFIG=$root/tests/cli/data/rate-change.cfg status batch export 1 --format bacs)"
grep -q "no finance group" "$work/err" || { echo "FAILED: originator message"; exit 1; }
# Unknown and voided batches.
check "unknown batch (exit 2)" "2" "$(status batch export 9 --format bacs)"
p batch void 1 >/dev/null
check "voided batch (exit 1)" "1" "$(status batch export 1 --format bacs)"
check "nothing written for a voided batch" "0" "$(wc -c < "$work/out" | tr -d ' ')"

# --- Remittance lines for money netted and for arrears ------------------------------
# N1: big=medium (10 h = 200.00 a week) and tiny=medium (1 h = 20.00): 220.00
# a week from 2026-04-13, a cycle boundary: 880.00 for [04-13, 05-11).
p payee add P-NET --name "Net Test" --sort-code 401111 --account 22223333 >/dev/null
n=$(p award create --client N1 --package test --need big=medium --need tiny=medium --start 2026-04-13 \
	--method direct --payee P-NET)
# Z2 is paid to P-ZOE as A000001 is, so a batch pays P-ZOE, then others, then
# P-ZOE again
z=$(p award create --client Z2 --package test --need tiny=high --start 2026-04-13 --method direct --payee P-ZOE)
p run --date 2026-04-13 >/dev/null
# tiny=low (0.5 h = 10.00) from 2026-05-04, a week before the paid cycle ends:
# E(06-08) = 21 x 220/7 + 35 x 210/7 = 660.00 + 1050.00 = 1710.00, paid 880.00:
# 830.00, while the cycle's own share is E(06-08) - E(05-11) = 1710.00 -
# 870.00 = 840.00: 10.00 netted.
p award reassess "$n" --from 2026-05-04 --need big=medium --need tiny=low >/dev/null
# net_advice RUN-DATE DAYS SHARE PAID NOTE: run on RUN-DATE; P-NET's advice is
# N1's one line (DUE = RUN-DATE), then NOTE
net_advice() {
	b=$(p run --date "$1" --format json | jq -r .batch)
	{
		advice_head P-NET "Net Test" 40-11-11 3333 "$b" "$1"
		printf '%-8s %-12s %-10s %-24s %-10s %12s %12s\n' "$n" N1 ras "$2" "$1" "$3" "$4"
		printf '         %s\n\nTotal paid: £%s\n\f\n' "$5" "$4"
	} > "$work/advice.want"
	p batch remittance "$b" --payee P-NET > "$work/advice.txt"
	cmp -s "$work/advice.want" "$work/advice.txt" ||
		{ echo "FAILED: the advice of $1: $5"; diff "$work/advice.want" "$work/advice.txt"; exit 1; }
}
net_advice 2026-05-11 "2026-05-11 to 06-07" 840.00 830.00 "£10.00 netted against an earlier overpayment"
# tiny=medium again from 2026-05-25, two weeks into that cycle: E(06-08) =
# 1710.00 + 14 x 10.00/7 = 1730.00, E(07-06) = 1730.00 + 880.00 = 2610.00;
# paid 1710.00: 900.00, of which 20.00 for the two weeks before this cycle.
p award reassess "$n" --from 2026-05-25 --need big=medium --need tiny=medium >/dev/null
net_advice 2026-06-08 "2026-06-08 to 07-05" 880.00 900.00 "includes £20.00 for changes dated before this period"
check "its csv: share, amount, netted" '"880.00","900.00","-20.00"' \
	"$(p batch remittance "$b" --payee P-NET --format csv | tr -d '\r' | tail -1 | cut -d, -f11-)"
# The whole batch's advices: one per payee, however often it appears; P-ZOE's
# lists both its awards.
p batch remittance "$b" > "$work/all.txt"
check "one advice per payee" "P-ZOE P-AERO K-CARD P-NET" \
	"$(sed -n 's/^To: .* (\(.*\))$/\1/p' "$work/all.txt" | tr '\n' ' ' | sed 's/ $//')"
check "P-ZOE's advice lists both its awards" "A000001 $z" \
	"$(awk '/^To: .*\(P-ZOE\)$/ { on = 1 } /^Total paid/ { on = 0 } on && /^A0/ { print $1 }' "$work/all.txt" | tr '\n' ' ' | sed 's/ $//')"
