# phsg verify (SPEC section 12) on a sound ledger, and on copies damaged with the
# database's own tool (sqlite3 or psql) in each way it names.  Figures: maintenance high = 42.80 a week,
# 171.20 a cycle; cycles from 2026-04-13, 05-11, 06-08.
. "$(dirname "$0")/lib.bash"
setup_payees
a=$(p award create --client V1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
b=$(p award create --client V2 --package housing-options --need basic=high \
	--start 2026-04-13 --method direct --payee P2)
p run --allow-future --date 2026-04-13 >/dev/null
p run --allow-future --date 2026-05-11 >/dev/null
p batch sent 2 >/dev/null
p batch void 1 >/dev/null
p award reassess "$a" --from 2026-04-27 --need maintenance=low >/dev/null
p run --allow-future --date 2026-06-08 >/dev/null
p award end "$b" --on 2026-05-25 >/dev/null
p run --allow-future --date 2026-06-08 >/dev/null
check "a sound ledger" "ok" "$(p verify)"
check "exit 0" "0" "$(status verify)"
sound=$(snapshot)

# damage SQL : verify a copy (phsg ledger copy) changed by SQL; prints its faults
damage() {
	local bad
	bad=$(new_ledger "bad$RANDOM")
	p ledger copy "$PHSG_LEDGER" "$bad" >/dev/null || { echo "copy failed"; return; }
	sql_on "$bad" "$1"
	PHSG_LEDGER="$bad" "$PHSG" verify >"$work/out" 2>"$work/err"
	echo $?
}
check "verify writes nothing" "$sound" "$(snapshot)"

check "a payment row removed (exit 3)" "3" \
	"$(damage "DELETE FROM payments WHERE id = (SELECT max(id) FROM payments WHERE kind = 'cycle' AND batch_id = 2);")"
grep -q "^fault: batch 2 was posted with a total of .* but its payments add up to" "$work/out" ||
	{ echo "FAILED: removed payment fault"; cat "$work/out"; exit 1; }
grep -q "fault found" "$work/err" || { echo "FAILED: summary"; cat "$work/err"; exit 1; }

check "a cycle payment duplicated (exit 3)" "3" "$(damage "INSERT INTO payments(batch_id, award_id, component,
	kind, cycle_start, cycle_end, due, amount, payee, method, created_at, operator) SELECT batch_id,
	award_id, component, kind, cycle_start, cycle_end, due, amount, payee, method, created_at, operator
	FROM payments WHERE batch_id = 2 AND kind = 'cycle' ORDER BY id LIMIT 1;")"
grep -q "^fault: award $a ras: the cycle from 2026-05-11 is paid 2 times" "$work/out" ||
	{ echo "FAILED: twice fault"; cat "$work/out"; exit 1; }
grep -q "beyond the .* the payment rule allowed" "$work/out" ||
	{ echo "FAILED: rule fault for the duplicate"; cat "$work/out"; exit 1; }

check "a batch total altered (exit 3)" "3" "$(damage "UPDATE batches SET total = total + 100 WHERE id = 2;")"
grep -q "^fault: batch 2 was posted with a total of" "$work/out" || { echo "FAILED: total fault"; cat "$work/out"; exit 1; }
check "only that fault" "1" "$(grep -c '^fault:' "$work/out")"
# the two figures it names: the altered total is 1.00 above the payments' sum
check "the fault names the total and the sum" "1.00" "$(sed -n 's/^fault: batch 2 was posted with a total of \([0-9.]*\) but its payments add up to \([0-9.]*\)$/\1 \2/p' "$work/out" |
	awk '{ printf "%.2f", $1 - $2 }')"

# An amount raised by 10.00, with the batch total raised to match: only the payment
# rule can tell (171.20 was the rounded entitlement to the end of its cycle).
check "an amount raised, totals kept consistent (exit 3)" "3" "$(damage "
	UPDATE payments SET amount = amount + 1000 WHERE id = (SELECT min(id) FROM payments WHERE batch_id = 2);
	UPDATE batches SET total = total + 1000 WHERE id = 2;")"
grep -q "^fault: payment .* (award $a ras, cycle 2026-05-11) took it to .* paid, beyond the" "$work/out" ||
	{ echo "FAILED: rule fault"; cat "$work/out"; exit 1; }

# The award's very first payment (171.20, cycle 2026-04-13, in batch 1) raised by 10.00,
# with its batch's total: 181.20 is beyond the 171.20 the rule allowed.
check "the first payment raised (exit 3)" "3" "$(damage "
	UPDATE payments SET amount = amount + 1000 WHERE id = 1;
	UPDATE batches SET total = total + 1000 WHERE id = 1;")"
grep -q "^fault: payment 1 (award $a ras, cycle 2026-04-13) took it to 181.20 paid, beyond the 171.20 the payment rule allowed$" "$work/out" ||
	{ echo "FAILED: first payment's rule fault"; cat "$work/out"; exit 1; }

# Every payment's award and payee have their row in payee_awards, through which a
# payee's payments are read (ledger version 7): with $b's row gone, each of its payments
# is a fault, and the first names the payment, the award and the payee.
check "an award missing from payee_awards (exit 3)" "3" \
	"$(damage "DELETE FROM payee_awards WHERE award_id = (SELECT id FROM awards WHERE ref = '$b');")"
check "one fault a payment of $b" "$(sql_read "$PHSG_LEDGER" "SELECT count(*) FROM payments p JOIN awards a
	ON a.id = p.award_id WHERE a.ref = '$b'")" "$(grep -c '^fault:' "$work/out")"
check "the first" "fault: payment $(sql_read "$PHSG_LEDGER" "SELECT min(p.id) FROM payments p JOIN awards a
	ON a.id = p.award_id WHERE a.ref = '$b'") (award $b) pays P2, but payee_awards does not list the award as paying it: that payee's payments would be read without it" \
	"$(head -1 "$work/out")"

# ... and with $a's row naming another payee, each of $a's payments (to P1) is one
check "an award listed for the wrong payee (exit 3)" "3" \
	"$(damage "UPDATE payee_awards SET payee = 'P9' WHERE award_id = (SELECT id FROM awards WHERE ref = '$a');")"
check "one fault a payment of $a" "$(sql_read "$PHSG_LEDGER" "SELECT count(*) FROM payments p JOIN awards a
	ON a.id = p.award_id WHERE a.ref = '$a'")" "$(grep -c "^fault: payment [0-9]* (award $a) pays P1, but" "$work/out")"

check "a reversal that reverses nothing (exit 3)" "3" "$(damage "UPDATE payments SET reverses = NULL WHERE kind = 'reversal';")"
grep -q "^fault: reversal .* does not reverse one payment of its batch" "$work/out" ||
	{ echo "FAILED: reversal fault"; cat "$work/out"; exit 1; }

check "an event that no longer replays (exit 3)" "3" \
	"$(damage "UPDATE award_events SET effective = '2030-01-01' WHERE kind = 'reassess';")"
grep -q "^fault: award $a no longer applies" "$work/out" || { echo "FAILED: replay fault"; cat "$work/out"; exit 1; }

# verify reads the awards 256 at a time (issue 15): 300 more, each paid its
# cycles 04-13, 05-11 and 06-08 at 171.20, and a fault in the last of them,
# past the first 256, is found: its last payment raised by 10.00 takes it to
# 3 x 171.20 + 10.00 = 523.60 paid, beyond the 513.60 allowed.
{
	echo "client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee"
	for i in $(seq 300); do echo "M$i,long-term-support,,,,,,,high,2026-04-13,,direct,P1"; done
} > "$work/many.csv"
last=$(p award import "$work/many.csv" | tail -1)
check "the last imported" "A000302" "$last"
check "900 cycles paid" "900" "$(p run --allow-future --date 2026-06-08 --format json | jq '[.payments[] | select(.amount == "171.20")] | length')"
check "302 awards, sound" "ok" "$(p verify)"
final="(SELECT max(p.id) FROM payments p JOIN awards a ON a.id = p.award_id WHERE a.ref = '$last')"
check "the last award's last payment raised (exit 3)" "3" "$(damage "
	UPDATE batches SET total = total + 1000 WHERE id = (SELECT batch_id FROM payments WHERE id = $final);
	UPDATE payments SET amount = amount + 1000 WHERE id = $final;")"
grep -q "^fault: payment [0-9]* (award $last ras, cycle 2026-06-08) took it to 523.60 paid, beyond the 513.60 the payment rule allowed$" "$work/out" ||
	{ echo "FAILED: a fault past the first 256 awards"; cat "$work/out"; exit 1; }
check "only that fault" "1" "$(grep -c '^fault:' "$work/out")"

# The run's index and its marks (ledger table award_index, processed), as the last
# award's are after its three cycles to 07-05: next_due 06-29, a week before the
# cycle from 07-06, which falls due that day (a Monday, no bank holiday).
who="(SELECT id FROM awards WHERE ref = '$last')"
check "the index says nothing more is due (exit 3)" "3" \
	"$(damage "UPDATE award_index SET next_due = NULL WHERE award_id = $who;")"
check "the award it would never pay" "fault: award $last: its cycle from 2026-07-06 falls due on 2026-07-06 and no run has processed it, but the run's index (award_index) says nothing more is due: no run would pay it" \
	"$(cat "$work/out")"
# its marks taken a cycle further, to 08-02: 4 x 171.20 = 684.80 to pay, 513.60 paid
check "a cycle marked processed but not paid (exit 3)" "3" \
	"$(damage "UPDATE processed SET last_cycle = last_cycle + 1 WHERE award_id = $who;")"
check "the cycle it would never pay" "fault: award $last ras: the payment rule gives 684.80 to 2026-08-02, the end of its last processed cycle, but 513.60 is paid: 171.20 short" \
	"$(cat "$work/out")"
check "a row missing from the index (exit 3)" "3" "$(damage "DELETE FROM award_index WHERE award_id = $who;")"
check "the award no run would read" "fault: award $last: the run's index (award_index) has no row for it: no run would read it" \
	"$(cat "$work/out")"

# A date edited by hand: verify names its row and column, and the journal stops
# at it with the same words (exit 3), rather than write it under no date.
id=$(sql_read "$PHSG_LEDGER" "SELECT $final")
check "a date of no calendar (exit 3)" "3" "$(damage "UPDATE payments SET cycle_end = '2026-06-31' WHERE id = $id;")"
check "the date, by row and column" "fault: payment $id, column cycle_end: '2026-06-31' is not a calendar date" \
	"$(cat "$work/out")"
bad=$(new_ledger "dated")
p ledger copy "$PHSG_LEDGER" "$bad" >/dev/null
sql_on "$bad" "UPDATE payments SET cycle_end = '2026-06-31' WHERE id = $id;"
PHSG_LEDGER="$bad" "$PHSG" export --format ledger >"$work/out" 2>"$work/err"
check "the journal refuses it (exit 3)" "3" "$?"
check "the journal names it" "phsg: error: payment $id, column cycle_end: '2026-06-31' is not a calendar date; phsg verify lists each date the ledger holds that cannot be read" \
	"$(cat "$work/err")"

check "a verify option it does not take (exit 2)" "2" "$(status verify --as-of 2026-01-01)"
sqlite_only
echo "this is not a database" > "$work/bad.db"
left_damaged "$work/bad.db"
check "not a ledger at all (exit 3)" "3" "$(PHSG_LEDGER="$work/bad.db" status verify)"
# an amount SQLite stores as a real (PostgreSQL's bigint column cannot hold one):
# the fault names the row
id=$(sqlite3 "$PHSG_LEDGER" "SELECT min(id) FROM payments")
check "a payment's amount not in whole pence (exit 3)" "3" "$(damage "UPDATE payments SET amount = 171.5 WHERE id = $id")"
grep -qx "fault: payment $id: its amount is not a whole number of pence" "$work/out" ||
	{ echo "FAILED: the amount fault names the payment"; cat "$work/out"; exit 1; }
