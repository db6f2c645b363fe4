# Bad input: a clear message, the right exit status, and the ledger unchanged.
. "$(dirname "$0")/lib.bash"
setup_payees
a=$(p award create --client B1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
p run --allow-future --date 2026-05-11 >/dev/null
# An unlimited extension into years the bank holiday list does not cover is refused
# (section 12): every run must be able to work out every award's payment dates.
long=$(p award create --client B9 --package long-term-support --need maintenance=low \
	--start 2026-04-13 --method direct --payee P1)
before=$(snapshot)
check "extension past the holiday list (exit 1)" "1" "$(status award extend "$long" --months 120)"
grep -q "award $long would run from 2026-04-13 to 2038-04-12, but the bank holidays in .* cover only 2011 to 2035" "$work/err" ||
	{ echo "FAILED: holiday cover message"; cat "$work/err"; exit 1; }
check "an award before the first rate (exit 1)" "1" "$(status award create --client B8 \
	--package long-term-support --need maintenance=low --start 2011-03-01 --method direct --payee P1)"
grep -q "the award would start on 2011-03-01, before the scheme's first hourly rate (from 2011-04-01)" "$work/err" ||
	{ echo "FAILED: first rate message"; cat "$work/err"; exit 1; }
check "nothing written" "$before" "$(snapshot)"
check "within the list it is granted" "$long extended by 72 months: it now runs to 2034-04-12" \
	"$(p award extend "$long" --months 72)"
before=$(snapshot)

check "unknown award (exit 2)" "2" "$(status award end A999999 --on 2026-05-01)"
grep -q "unknown award 'A999999'" "$work/err" || { echo "FAILED: unknown award message"; exit 1; }
check "unknown payee (exit 2)" "2" "$(status award create --client B2 --package long-term-support \
	--need maintenance=high --start 2026-04-13 --method direct --payee NOBODY)"
grep -q "unknown payee 'NOBODY'" "$work/err" || { echo "FAILED: unknown payee message"; exit 1; }
check "date outside the award (exit 2)" "2" "$(status award suspend "$a" --from 2030-01-01)"
grep -q "outside award $a" "$work/err" || { echo "FAILED: outside message"; exit 1; }
check "end before start (exit 2)" "2" "$(status award end "$a" --on 2026-04-01)"
check "reassess before start (exit 2)" "2" "$(status award reassess "$a" --from 2026-01-01 --need maintenance=low)"
check "need not in package (exit 2)" "2" "$(status award reassess "$a" --from 2026-05-01 --need intensive=low)"
check "impossible date (exit 2)" "2" "$(status award end "$a" --on 2026-02-30)"
check "resume without suspension (exit 1)" "1" "$(status award resume "$a" --on 2026-05-01)"
check "bad sort code (exit 2)" "2" "$(status payee add P9 --name X --sort-code 12345 --account 12345678)"
grep -q "sort code '12345' is not 6 digits" "$work/err" || { echo "FAILED: sort code message"; exit 1; }
check "bad account (exit 2)" "2" "$(status payee add P9 --name X --sort-code 123456 --account 1234567X)"
check "duplicate payee (exit 2)" "2" "$(status payee add P1 --name X --sort-code 123456 --account 12345678)"
check "bad method (exit 2)" "2" "$(status award create --client B3 --package long-term-support \
	--need maintenance=high --start 2026-04-13 --method cheque --payee P1)"
check "card payee paid by bank (exit 2)" "2" "$(status award create --client B3 --package long-term-support \
	--need maintenance=high --start 2026-04-13 --method direct --payee C1)"
check "run without date (exit 2)" "2" "$(status run)"
check "malformed run date (exit 2)" "2" "$(status run --allow-future --date 2026-13-01)"
check "nothing changed" "$before" "$(snapshot)"


check "still nothing changed" "$before" "$(snapshot)"

# The holiday list shortened after awards were made (to 2026 only): a run holds the
# awards whose payment dates it cannot work out, pays the others, and exits 0.
sed 's#bank_holidays = .*#bank_holidays = "short-holidays.cfg";#' config/medway.cfg > "$work/short.cfg"
printf 'dates = [ "2026-01-01", "2026-12-25", "2026-12-28" ];\n' > "$work/short-holidays.cfg"
h=$(p award create --client B7 --package housing-options --need basic=low --start 2026-08-03 \
	--method direct --payee P2)
json --config "$work/short.cfg" run --allow-future --date 2027-01-11 --format json
# housing options, basic low = 1 h = 21.40 a week, 2026-08-03 to 2026-11-03: 92 days,
# 92 x 21.40 / 7 = 281.26; cycles due 08-03, 08-31, 09-28, 10-26 (all in 2026).
check "the award inside the list is paid" "281.26" \
	"$(jqr '[.payments[] | select(.award == "'"$h"'") | .amount | sub("\\."; "") | tonumber] | add / 100 | tostring')"
check "the others are held" "$a $long" "$(jqr '[.held[].award] | join(" ")')"
check "with the reason" "1" "$(jqr '[.held[] | select(.reason | test("2027"))] | length > 0 | if . then 1 else 0 end')"
p --config "$work/short.cfg" run --allow-future --date 2027-01-11 > "$work/out"
grep -q "^held: $a: " "$work/out" || { echo "FAILED: held line"; cat "$work/out"; exit 1; }
before=$(snapshot)

# A mistyped ledger path is an error, and no empty ledger is left behind.
sqlite_only

# A run's index naming an award the ledger does not have (a copy damaged by hand):
# that one is held as unknown, the others are worked as usual, and the run exits 0.
p ledger copy "$PHSG_LEDGER" "$work/ghost.db" > /dev/null
p ledger copy "$PHSG_LEDGER" "$work/sound.db" > /dev/null
sqlite3 "$work/ghost.db" "INSERT INTO award_index(award_id, next_due, dirty) VALUES (9999, NULL, 1);"
left_damaged "$work/ghost.db"
PHSG_LEDGER="$work/sound.db" json run --allow-future --date 2026-08-31 --format json
sound_payments=$(jq -c .payments "$work/json")
check "the sound copy holds nothing" "0" "$(jqr '.held | length')"
PHSG_LEDGER="$work/ghost.db" json run --allow-future --date 2026-08-31 --format json
check "an award without its row is held" "#9999: unknown award id 9999" \
	"$(jqr '[.held[] | "\(.award): \(.reason)"] | join("|")')"
check "the others are paid as on the sound copy" "$sound_payments" "$(jq -c .payments "$work/json")"
check "which is something" "true" "$(jqr '.payments | length > 0')"
check "no such ledger (exit 3)" "3" "$(PHSG_LEDGER=$work/typo.db status report balances)"
grep -q "there is no ledger at '$work/typo.db'" "$work/err" || { echo "FAILED: message"; cat "$work/err"; exit 1; }
check "nothing created" "no" "$([ -e "$work/typo.db" ] && echo yes || echo no)"

# A file that is not a phsg ledger, and one newer than the program: exit 3.
echo "not a database" > "$work/text.db"
left_damaged "$work/text.db"
check "not a ledger (exit 3)" "3" "$(PHSG_LEDGER=$work/text.db status run --allow-future --date 2026-05-11)"
grep -q "is not a phsg ledger" "$work/err" || { echo "FAILED: not-a-ledger message"; cat "$work/err"; exit 1; }
sqlite3 "$work/other.db" "CREATE TABLE t(x); PRAGMA user_version = 1;"
left_damaged "$work/other.db"
check "another app's database (exit 3)" "3" "$(PHSG_LEDGER=$work/other.db status run --allow-future --date 2026-05-11)"
cp "$PHSG_LEDGER" "$work/newer.db"
sqlite3 "$work/newer.db" "PRAGMA user_version = 99;"
left_damaged "$work/newer.db"
check "newer ledger (exit 3)" "3" "$(PHSG_LEDGER=$work/newer.db status run --allow-future --date 2026-05-11)"
grep -q "newer than this program" "$work/err" || { echo "FAILED: newer message"; cat "$work/err"; exit 1; }
check "missing folder (exit 3)" "3" "$(PHSG_LEDGER=$work/no/such/dir.db status run --allow-future --date 2026-05-11)"

# A copy is verified before it is committed: from a ledger with a payee's name changed by
# hand to end in a line feed (its last character: the name's length, counted by SQLite),
# `ledger copy` prints the fault, refuses (exit 3) and leaves no ledger; with a second
# payee's name too, two faults, counted as such.
cp "$PHSG_LEDGER" "$work/feed.db"
left_damaged "$work/feed.db"
sqlite3 "$work/feed.db" "UPDATE payees SET name = name || char(10) WHERE ref = 'P1'"
check "a copy that fails verification (exit 3)" "3" "$(status ledger copy "$work/feed.db" "$work/feed-copy.db")"
check "its fault" "fault: payee 1, column name: its text holds a control character (U+000A, character $(sqlite3 "$work/feed.db" "SELECT length(name) FROM payees WHERE ref = 'P1'")): not allowed" \
	"$(cat "$work/out")"
check "refused, one fault" "phsg: error: ledger '$work/feed-copy.db': the copy failed verification with 1 fault; nothing was copied" \
	"$(cat "$work/err")"
check "no copy left" "no" "$([ -e "$work/feed-copy.db" ] && echo yes || echo no)"
sqlite3 "$work/feed.db" "UPDATE payees SET name = name || char(10) WHERE ref = 'P2'"
check "two faults (exit 3)" "3" "$(status ledger copy "$work/feed.db" "$work/feed-copy.db")"
check "refused, two faults" "phsg: error: ledger '$work/feed-copy.db': the copy failed verification with 2 faults; nothing was copied" \
	"$(cat "$work/err")"
