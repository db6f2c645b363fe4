# Bad input: a clear message, the right exit status, and the ledger unchanged.
. "$(dirname "$0")/lib.bash"
setup_payees
a=$(p award create --client B1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
p run --allow-future --date 2026-05-11 >/dev/null
# unlimited extension: runs into years the bank holiday list does not cover
long=$(p award create --client B9 --package long-term-support --need maintenance=low \
	--start 2026-04-13 --method direct --payee P1)
check "unlimited extension" "$long extended by 120 months: it now runs to 2038-04-12" "$(p award extend "$long" --months 120)"
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

# A file that is not a phsg ledger, and one newer than the program: exit 3.
echo "not a database" > "$work/text.db"
check "not a ledger (exit 3)" "3" "$(PHSG_LEDGER=$work/text.db status run --allow-future --date 2026-05-11)"
grep -q "is not a phsg ledger" "$work/err" || { echo "FAILED: not-a-ledger message"; cat "$work/err"; exit 1; }
sqlite3 "$work/other.db" "CREATE TABLE t(x); PRAGMA user_version = 1;"
check "another app's database (exit 3)" "3" "$(PHSG_LEDGER=$work/other.db status run --allow-future --date 2026-05-11)"
cp "$PHSG_LEDGER" "$work/newer.db"
sqlite3 "$work/newer.db" "PRAGMA user_version = 99;"
check "newer ledger (exit 3)" "3" "$(PHSG_LEDGER=$work/newer.db status run --allow-future --date 2026-05-11)"
grep -q "newer than this program" "$work/err" || { echo "FAILED: newer message"; cat "$work/err"; exit 1; }
check "missing folder (exit 3)" "3" "$(PHSG_LEDGER=$work/no/such/dir.db status run --allow-future --date 2026-05-11)"

# A bank holiday list that ends before a due date: an error naming the year.
check "due date past the holiday list (exit 2)" "2" "$(status run --allow-future --date 2036-02-01)"
grep -q "not 2036" "$work/err" || { echo "FAILED: holiday year message"; cat "$work/err"; exit 1; }
check "still nothing changed" "$before" "$(snapshot)"

# A mistyped ledger path is an error, and no empty ledger is left behind.
check "no such ledger (exit 3)" "3" "$(PHSG_LEDGER=$work/typo.db status report balances)"
grep -q "there is no ledger at '$work/typo.db'" "$work/err" || { echo "FAILED: message"; cat "$work/err"; exit 1; }
check "nothing created" "no" "$([ -e "$work/typo.db" ] && echo yes || echo no)"
