# Bacs in parts (SPEC section 17): a batch whose payments to bank accounts
# total more than one Standard 18 file holds (its contra is 11 digits of
# pence: at most 99,999,999,999) is refused whole, saying how many parts it
# needs, and --part K writes part K: a complete file with its own contra,
# the payments split in the batch's order.
. "$(dirname "$0")/lib.bash"
export PHSG_CONFIG="$root/tests/cli/data/bacs-parts.cfg"
p payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 11112222 >/dev/null
p payee add P2 --name "Homes & Hope Ltd" --sort-code 209999 --account 87654321 >/dev/null
p payee add K1 --name "Card Person" --card 6011000099990001 >/dev/null
# Every award starts 2026-03-16, a cycle's first day, so the run of 2026-04-10
# pays the whole cycle [2026-03-16, 2026-04-13) of each, at 1,000,000.00 an
# hour x 4 weeks: medium 100 h = 400,000,000.00, high 75 h = 300,000,000.00,
# low 50 h = 200,000,000.00.
mk() { p award create --client "$1" --package test --need "huge=$2" --start 2026-03-16 --method "$3" --payee "$4" >/dev/null; }
mk C1 medium direct P1    # A000001 400,000,000.00
mk C2 high provider P2    # A000002 300,000,000.00
mk C3 low card K1         # A000003 200,000,000.00 onto a card: never in a Bacs file
mk C4 medium direct P1    # A000004 400,000,000.00
mk C5 low provider P2     # A000005 200,000,000.00
mk C6 high direct P1      # A000006 300,000,000.00
mk C7 medium provider P2  # A000007 400,000,000.00
# The run's text gives the totals (SPEC section 17): 400 + 300 + 200 + 400 +
# 200 + 300 + 400 = 2,200 million pounds in 7 payments; --list lists them.
check "the run's text: totals only" "Payment run for 2026-04-10: batch 1, 7 payments, total £2,200,000,000.00" \
	"$(p run --allow-future --date 2026-04-10 --dry-run 2>/dev/null)"
p run --allow-future --date 2026-04-10 --dry-run --list > "$work/list" 2>/dev/null
check "with --list, a line a payment" "7" "$(grep -c '^  A00000[1-7] ' "$work/list")"
check "in award order" "A000001 A000002 A000003 A000004 A000005 A000006 A000007" \
	"$(awk 'NR > 1 { print $1 }' "$work/list" | paste -sd' ')"
json run --allow-future --date 2026-04-10 --format json
check "the batch" "400000000.00 300000000.00 200000000.00 400000000.00 200000000.00 300000000.00 400000000.00" \
	"$(jqr '[.payments[].amount] | join(" ")')"
# Bank payments: 400 + 300 + 400 + 200 + 300 + 400 = 2,000 million pounds
# = 200,000,000,000 pence, two and a bit files' worth.  In the batch's
# order, each part takes payments while its total stays within
# 99,999,999,999 pence:
#   part 1: A000001 + A000002 = 700 million (A000004 would make 1,100)
#   part 2: A000004 + A000005 + A000006 = 900 million (A000007 would make 1,300)
#   part 3: A000007 = 400 million
check "the whole batch is refused (exit 1)" "1" "$(status batch export 1 --format bacs --processing-date 2026-04-10)"
check "nothing on stdout" "0" "$(wc -c < "$work/out" | tr -d ' ')"
check "saying how many parts" \
	"phsg: error: batch 1: 6 payments to bank accounts (£2,000,000,000.00) do not fit one Bacs file (at most £999,999,999.99 and 9,999,999 payments): they need 3 parts; write each with --part K, K from 1 to 3" \
	"$(cat "$work/err")"

# Part 1, worked out by hand as in export-bacs.sh: processing day 2026-04-10
# is day 100 (" 26100"); serial batch 1; HDR1/EOF1's file sequence number is
# the part's number.
s() { printf '%s\r\n' "$1"; }
blank() { printf '%*s' "$1" ''; }
{
	s "VOL1000001$(blank 31)654321$(blank 32)1"
	s "HDR1A654321S  1654321""000001""0001""0001""$(blank 6)"" 26100"" 26100"" ""000000""$(blank 20)"
	s "HDR2""F""02000""00100""$(blank 35)""00""$(blank 28)"
	s "UHL1"" 26100""999999    ""00""000000""1 DAILY  ""001""$(blank 40)"
	s "401234""11112222""0""99""112233""44556677""    ""40000000000""TEST COUNCIL      ""A000001 260316    ""JO BLOGGS         "
	s "209999""87654321""0""99""112233""44556677""    ""30000000000""TEST COUNCIL      ""A000002 260316    ""HOMES & HOPE LTD  "
	s "112233""44556677""0""17""112233""44556677""    ""70000000000""TEST COUNCIL      ""CONTRA            ""TEST COUNCIL      "
	s "EOF1A654321S  1654321""000001""0001""0001""$(blank 6)"" 26100"" 26100"" ""000000""$(blank 20)"
	s "EOF2""F""02000""00100""$(blank 35)""00""$(blank 28)"
	s "UTL1""0070000000000""0070000000000""0000001""0000002""$(blank 36)"
} > "$work/expected1.bacs"
for k in 1 2 3; do
	p batch export 1 --format bacs --processing-date 2026-04-10 --part $k > "$work/part$k.bacs" ||
		{ echo "FAILED: part $k"; exit 1; }
done
if ! cmp -s "$work/expected1.bacs" "$work/part1.bacs"; then
	echo "FAILED: part 1 differs from the one worked out by hand"
	diff <(cat -A "$work/expected1.bacs") <(cat -A "$work/part1.bacs")
	exit 1
fi

# The layout checks of export-bacs.sh, for every part: the labels (80
# characters) and records (100), in order; credits with code 99 and one
# contra (code 17) from the originator's account for the credits' sum, within
# 11 digits; UTL1's debit and credit values are that sum, its counts one
# debit and the credits; the file sequence number is the part's.
layout() { # FILE PART -> "ok" or what is wrong
	tr -d '\r' < "$1" | awk -v part="$2" '
	function bad(why) { print why; failed = 1; exit }
	{ line[NR] = $0 }
	END {
		if (failed) exit
		if (NR < 9) bad("too few lines")
		want = "VOL1 HDR1 HDR2 UHL1"
		split(want, lab, " ")
		for (i = 1; i <= 4; i++) {
			if (substr(line[i], 1, 4) != lab[i]) bad("line " i " is not " lab[i])
			if (length(line[i]) != 80) bad(lab[i] " is not 80 characters")
		}
		if (substr(line[2], 32, 4) != sprintf("%04d", part)) bad("HDR1 sequence " substr(line[2], 32, 4))
		sum = 0; n = 0
		for (i = 5; i < NR - 3; i++) {
			r = line[i]
			if (length(r) != 100) bad("record " i " is not 100 characters")
			if (substr(r, 16, 2) != "99") bad("record " i " is not a credit")
			if (substr(r, 18, 14) != "11223344556677") bad("record " i " originator")
			sum += substr(r, 36, 11) + 0; n++
		}
		c = line[NR - 3]
		if (length(c) != 100 || substr(c, 16, 2) != "17" || substr(c, 1, 14) != "11223344556677")
			bad("no contra before the trailer")
		if (substr(c, 36, 11) + 0 != sum) bad("contra " substr(c, 36, 11) " is not the credits sum " sum)
		if (sum > 99999999999) bad("contra over 11 digits")
		if (substr(line[NR - 2], 1, 4) != "EOF1" || substr(line[NR - 1], 1, 4) != "EOF2" ||
		    substr(line[NR], 1, 4) != "UTL1") bad("trailer labels")
		for (i = NR - 2; i <= NR; i++) if (length(line[i]) != 80) bad("trailer not 80 characters")
		if (substr(line[NR - 2], 5) != substr(line[2], 5)) bad("EOF1 differs from HDR1")
		u = line[NR]
		if (substr(u, 5, 13) + 0 != sum || substr(u, 18, 13) + 0 != sum) bad("UTL1 values")
		if (substr(u, 31, 7) != "0000001" || substr(u, 38, 7) + 0 != n) bad("UTL1 counts")
		print "ok"
	}'
}
for k in 1 2 3; do
	check "part $k passes the layout checks" "ok" "$(layout "$work/part$k.bacs" $k)"
done
# credits: "reference amount" of every part, in part order
credits() { tr -d '\r' < "$1" | awk 'length($0) == 100 && substr($0, 16, 2) == "99" { print substr($0, 65, 14), substr($0, 36, 11) }'; }
contra() { tr -d '\r' < "$1" | awk 'length($0) == 100 && substr($0, 16, 2) == "17" { print substr($0, 36, 11) }'; }
check "part 2: A000004 + A000005 + A000006" "A000004 260316 40000000000,A000005 260316 20000000000,A000006 260316 30000000000" \
	"$(credits "$work/part2.bacs" | paste -sd,)"
check "part 3: A000007" "A000007 260316 40000000000" "$(credits "$work/part3.bacs")"
check "the contras: 700, 900 and 400 million pounds" "70000000000 90000000000 40000000000" \
	"$(for k in 1 2 3; do contra "$work/part$k.bacs"; done | paste -sd' ')"
# Together: every payment to a bank account of the batch, once, in its order.
p batch export 1 --format csv > "$work/batch.csv"
check "the parts pay the batch's bank payments in order, none twice" \
	"$(awk -F'","' 'NR > 1 && $12 !~ /card/ { printf "%s %s\n", $2, $10 }' "$work/batch.csv")" \
	"$(for k in 1 2 3; do credits "$work/part$k.bacs"; done | awk '{ printf "%s %d.%02d\n", $1, substr($3, 1, 9) + 0, substr($3, 10, 2) + 0 }')"
check "no payment twice" "" "$(for k in 1 2 3; do credits "$work/part$k.bacs"; done | cut -c1-14 | sort | uniq -d)"
check "the contras add up to the batch's bank payments (200,000,000,000 pence)" "200000000000" \
	"$(for k in 1 2 3; do contra "$work/part$k.bacs"; done | awk '{ t += $1 } END { printf "%.0f", t }')"

p batch export 1 --format bacs --processing-date 2026-04-10 --part 2 > "$work/again.bacs"
check "a part exported again is byte-identical" "same" "$(cmp -s "$work/part2.bacs" "$work/again.bacs" && echo same)"
check "a part beyond the last (exit 1)" "1" "$(status batch export 1 --format bacs --part 4)"
check "saying how many there are" "phsg: error: batch 1: there is no part 4: the payments to bank accounts make 3 Bacs files" \
	"$(cat "$work/err")"
check "nothing on stdout" "0" "$(wc -c < "$work/out" | tr -d ' ')"
check "--part 0 (exit 2)" "2" "$(status batch export 1 --format bacs --part 0)"
check "--part with another format (exit 2)" "2" "$(status batch export 1 --format csv --part 1)"
check "--part of another subcommand (exit 2)" "2" "$(status batch show 1 --part 1)"

# A batch that fits one file is part 1 of 1: the same file either way.
PHSG_LEDGER=$(new_ledger small) || exit 1
p payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 11112222 >/dev/null
mk C1 medium direct P1    # A000001 400,000,000.00: batch 1 fits one file
mk C2 medium direct P1    # A000002 400,000,000.00: 800 million in all
p run --allow-future --date 2026-04-10 >/dev/null
p batch export 1 --format bacs --processing-date 2026-04-10 > "$work/whole.bacs"
p batch export 1 --format bacs --processing-date 2026-04-10 --part 1 > "$work/one.bacs"
check "one part is the whole file" "same" "$(cmp -s "$work/whole.bacs" "$work/one.bacs" && echo same)"
check "which passes the layout checks" "ok" "$(layout "$work/one.bacs" 1)"
check "a second part of it (exit 1)" "1" "$(status batch export 1 --format bacs --part 2)"
