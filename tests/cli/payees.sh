# SPEC section 11: payees listed and shown, bank details changed from a date, and the
# check a run prints when a batch pays a payee to changed details.  Maintenance high
# is 42.80 a week = 171.20 a cycle; cycles from 2026-04-13, 05-11, 06-08.
. "$(dirname "$0")/lib.bash"
p payee add P1 --name "Jo Bloggs" --sort-code 40-12-34 --account 12345678 >/dev/null
p payee add P2 --name "Homes & Hope Ltd" --sort-code 309876 --account 87654321 >/dev/null
p payee add C1 --name "Card Holder" --card 5555000011112222 >/dev/null
a=$(p award create --client B1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-04-13 --format json
check "first batch, no check" "1 0" "$(jqr .batch) $(jqr '.bank_details_changed | length')"
p batch sent 1 >/dev/null

# --- update from a date ------------------------------------------------------------------
before=$(snapshot)
check "a change dated before the latest posted payment (exit 1)" "1" \
	"$(status payee update P1 --sort-code 409999 --account 99998888 --from 2026-04-12)"
grep -q "before the due date of payee P1's latest posted payment (2026-04-13)" "$work/err" ||
	{ echo "FAILED: update message"; cat "$work/err"; exit 1; }
check "a bad account (exit 2)" "2" "$(status payee update P1 --sort-code 409999 --account 9999888 --from 2026-05-11)"
check "no date (exit 2)" "2" "$(status payee update P1 --sort-code 409999 --account 99998888)"
check "an option update does not take (exit 2)" "2" "$(status payee update P1 --name X --from 2026-05-11)"
check "unknown payee (exit 2)" "2" "$(status payee update P9 --sort-code 409999 --account 99998888 --from 2026-05-11)"
check "nothing written" "$before" "$(snapshot)"
check "the change" "P1: payments due from 2026-05-11 go to ****8888" \
	"$(p payee update P1 --sort-code 40-99-99 --account 99998888 --from 2026-05-11)"
# A second award for P1 from 04-13, made after the change: its first cycle is due 04-13,
# before the change (old account), its second 05-11, after it (new account).
b=$(p award create --client B2 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-05-11 --format json
check "batch 2 pays P1's changed account: JSON" '["P1"]' "$(jqr '.bank_details_changed' | jq -c .)"
p batch export 2 --format bacs --processing-date 2026-05-11 > "$work/b2.bacs"
# Records: sort code (6), account (8), 0, 99 ...; amount 11 digits from column 36;
# the reference (award, cycle start yymmdd) from column 66.
recs=$(tr -d '\r' < "$work/b2.bacs" | awk 'length($0) == 100 && substr($0, 16, 2) == "99" {
	print substr($0, 1, 6) " " substr($0, 7, 8) " " substr($0, 36, 11) " " substr($0, 65, 14) }' | sort -k4)
check "due before the change: old account; after: new" "409999 99998888 00000017120 $a 260511
401234 12345678 00000017120 $b 260413
409999 99998888 00000017120 $b 260511" "$recs"
p batch export 1 --format bacs --processing-date 2026-04-13 > "$work/b1.bacs"
check "batch 1, exported again, still the old account" "401234 12345678" \
	"$(tr -d '\r' < "$work/b1.bacs" | awk 'length($0) == 100 && substr($0, 16, 2) == "99" { print substr($0, 1, 6), substr($0, 7, 8) }')"
p batch sent 2 >/dev/null
p run --allow-future --date 2026-06-08 > "$work/run3"
check "the text check line, once the change is seen" "0" "$(grep -c '^check:' "$work/run3")"
# the text form of the run that first paid the new account, as a dry run would show it
p payee update P2 --sort-code 200000 --account 11110000 --from 2026-06-08 >/dev/null
c=$(p award create --client B3 --package housing-options --need basic=low --start 2026-05-11 \
	--method provider --payee P2)
p run --allow-future --date 2026-05-11 >/dev/null        # P2's first payment, old account
p run --allow-future --date 2026-06-08 > "$work/run4"
check "the check line" "check: payee P2 is paid to other bank details than its last payment: confirm the change with the payee (by a known number) before the batch is sent" \
	"$(grep '^check:' "$work/run4")"

# --- list and show ------------------------------------------------------------------------
p payee update P2 --accredited yes --from 2026-01-01 >/dev/null
check "an accreditation with bank details (exit 2)" "2" "$(status payee update P2 --accredited yes --card 1 --from 2026-01-01)"
json payee list --format json
check "list as JSON" '[{"payee":"C1","name":"Card Holder","kind":"card","accredited":false},{"payee":"P1","name":"Jo Bloggs","kind":"bank","accredited":false},{"payee":"P2","name":"Homes & Hope Ltd","kind":"bank","accredited":true}]' \
	"$(jqr '.payees' | jq -c .)"
check "list as CSV" '"payee","name","kind","accredited"
"C1","Card Holder","card","no"
"P1","Jo Bloggs","bank","no"
"P2","Homes & Hope Ltd","bank","yes"' "$(p payee list --format csv | tr -d '\r')"
check "list as text" "3" "$(p payee list | tail -n +2 | wc -l)"
json payee show P1 --format json
check "show: last 4 digits only" '{"kind":"bank","sort_code":"409999","account":"****8888","payee":"P1","name":"Jo Bloggs","accredited":false}' \
	"$(jqr 'del(.history)' | jq -c .)"
check "show: the history" '[{"from":null,"account":"****5678"},{"from":"2026-05-11","account":"****8888"}]' \
	"$(jqr '[.history[] | {from, account}]' | jq -c .)"
json payee show C1 --format json
check "a card: last 4" "****2222" "$(jqr .card)"
check "a card's history is of a card" '[{"kind":"card","card":"****2222","from":null}]' \
	"$(jqr '[.history[] | {kind, card, from}]' | jq -c .)"
check "no account number in the text form" "" "$(p payee show P1 | grep -e 12345678 -e 99998888)"
check "no card number anywhere a person reads" "" "$( (p payee show C1; p payee list) | grep 5555000011112222)"
check "show an unknown payee (exit 2)" "2" "$(status payee show P9)"

# --- a payee's payments are those paid to it, not every payment of the awards that paid it --
# (found through payee_awards, ledger version 7).  On a new ledger: award D pays P3 until
# 2026-07-05 and P4 from 07-06; award E pays P4 its one cycle from 04-13 (it ends 05-11).
# P4's bank details change from 06-01.
export PHSG_LEDGER=$(new_ledger second)
p payee add P3 --name "Three" --sort-code 401111 --account 11111111 >/dev/null
p payee add P4 --name "Four" --sort-code 402222 --account 22222222 >/dev/null
d=$(p award create --client D1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P3)
e=$(p award create --client E1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P4)
p award end "$e" --on 2026-05-11 >/dev/null
for day in 04-13 05-11 06-08; do p run --allow-future --date 2026-$day >/dev/null; done
p award change-payee "$d" --payee P4 --method direct --from 2026-07-06 >/dev/null
check "P4's latest payment is E's, 04-13: a change from 06-01 is taken" \
	"P4: payments due from 2026-06-01 go to ****3333" \
	"$(p payee update P4 --sort-code 403333 --account 33333333 --from 2026-06-01)"
# Batch 4 pays D's cycle 07-06 to P4, at its new details; P4's last earlier payment is
# E's (04-13, the old details), not D's 06-08 (which was P3's): the check names P4.
json run --allow-future --date 2026-07-06 --format json
check "P4 paid to changed details" '["P4"]' "$(jqr '.bank_details_changed' | jq -c .)"
# P3's latest payment is D's 06-08 (D's 07-06 went to P4): a change from that very day
# is taken (the payment due then is already posted, to the details it was posted with)
check "a change of P3 from 06-08 is taken" "P3: payments due from 2026-06-08 go to ****4444" \
	"$(p payee update P3 --sort-code 404444 --account 44444444 --from 2026-06-08)"
# Award F, made now from 04-13, pays P3 and, from 05-11, P4: one run pays its arrears
# to both, and both are noted as paid by F.
f=$(p award create --client F1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P3)
p award change-payee "$f" --payee P4 --method direct --from 2026-05-11 >/dev/null
json run --allow-future --date 2026-08-03 --format json
check "F's arrears: 04-13 to P3, 05-11 .. 08-03 to P4" "P3 P4 P4 P4 P4" \
	"$(jqr "[.payments[] | select(.award == \"$f\") | .payee] | join(\" \")")"
check "F noted as paying P3 and P4" "P3 P4" "$(sql_read "$PHSG_LEDGER" "SELECT x.payee FROM payee_awards x
	JOIN awards a ON a.id = x.award_id WHERE a.ref = '$f' ORDER BY x.payee" | tr '\n' ' ' | sed 's/ $//')"
check "and the ledger verifies" "ok" "$(p verify)"
