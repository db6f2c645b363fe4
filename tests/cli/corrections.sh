# SPEC section 10: corrections a finance team can trust.  Each figure is
# worked by hand beside its check.  Medway: 21.40 an hour from 2024-04-01;
# maintenance high = 2 h = 42.80 a week = 171.20 a cycle; resettlement with
# intensive low + basic low = 4 h = 85.60 a week = 342.40 a cycle.  Cycle
# boundaries: 2026-04-13, 05-11, 06-08, 07-06, 08-03 (each a Monday, none a
# bank holiday, so each cycle is due on its first day).
. "$(dirname "$0")/lib.bash"
setup_payees
pays() { jqr '[.payments[] | select(.award == "'"$1"'") | "\(.kind) \(.cycle_start) \(.due) \(.amount)"] | join("|")'; }

# --- Voiding a batch that is not the latest, with a later one sent -----------------
a=$(p award create --client V1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
b=$(p award create --client V2 --package resettlement --need intensive=low --need basic=low \
	--start 2026-04-13 --method provider --payee P2)
p award end "$b" --on 2026-05-11 >/dev/null      # one cycle: 28 x 85.60 / 7 = 342.40
json run --allow-future --date 2026-04-13 --format json
check "batch 1" "1 cycle 2026-04-13 2026-04-13 171.20 cycle 2026-04-13 2026-04-13 342.40" \
	"$(jqr .batch) $(pays "$a") $(pays "$b")"
json run --allow-future --date 2026-05-11 --format json
check "batch 2 pays the running award only" "2 cycle 2026-05-11 2026-05-11 171.20 " \
	"$(jqr .batch) $(pays "$a") $(pays "$b")"
p batch sent 2 >/dev/null
p batch void 1 >/dev/null
check "a voided batch is not exported (exit 1)" "1" "$(status batch export 1 --format bacs)"
check "nor as csv (exit 1)" "1" "$(status batch export 1 --format csv)"
# After the void, net paid: A 171.20 (batch 2), B 0.00.
# The next run: A's new cycle 06-08 pays round(E(07-06)) - P = 3 x 171.20 - 171.20 = 342.40,
# the voided 171.20 within it; B has no cycle newly due (it ended on 05-11), so its
# voided 342.40 comes back as an adjustment on its last cycle, due on the run's date.
json run --allow-future --date 2026-06-08 --format json
check "voided money repaid, running award" "cycle 2026-06-08 2026-06-08 342.40" "$(pays "$a")"
check "voided money repaid, ended award" "adjustment 2026-04-13 2026-06-08 342.40" "$(pays "$b")"
json run --allow-future --date 2026-06-08 --format json
check "then nothing twice" "null 0" "$(jqr '.batch') $(jqr '.payments | length')"
# A ended on 07-06: 84 days x 42.80 / 7 = 513.60; paid 171.20 - 171.20 + 171.20 + 342.40.
p award end "$a" --on 2026-07-06 >/dev/null
json report balances --as-of 2030-01-01 --format json
check "A: paid equals the rounded entitlement" "513.60 513.60" \
	"$(jqr '.awards[] | select(.award == "'"$a"'") | "\(.entitled) \(.paid)"')"
check "B: paid equals the rounded entitlement" "342.40 342.40" \
	"$(jqr '.awards[] | select(.award == "'"$b"'") | "\(.entitled) \(.paid)"')"

# --- Recoveries only of what is owed ------------------------------------------------
check "nothing owed: refused (exit 1)" "1" "$(status recovery receive "$a" --amount 0.01 --on 2026-07-10)"
grep -q "the amount owed is 0.00" "$work/err" || { echo "FAILED: owed message"; cat "$work/err"; exit 1; }
# Ended earlier, on 06-08: entitled 56 days x 42.80 / 7 = 342.40, paid 513.60:
# 171.20 owed back (the last processed cycle, 06-08..07-06, ends after the award).
p award end "$a" --on 2026-06-08 >/dev/null
before=$(snapshot)
check "more than owed: refused (exit 1)" "1" "$(status recovery receive "$a" --amount 171.21 --on 2026-07-10)"
grep -q "171.21 is more than award $a owes back: the amount owed is 171.20" "$work/err" ||
	{ echo "FAILED: more-than-owed message"; cat "$work/err"; exit 1; }
check "nothing written" "$before" "$(snapshot)"
p recovery receive "$a" --amount 100.00 --on 2026-07-10 >/dev/null
json run --allow-future --date 2026-07-10 --format json
check "a recovery is not paid back" "" "$(pays "$a")"
check "the rest is still due" "71.20 P1 due from payee" \
	"$(jqr '.recoveries[] | select(.award == "'"$a"'") | "\(.amount) \(.payee) \(.status)"')"
json report recoveries --as-of 2026-07-10 --format json
check "report recoveries" "71.20" "$(jqr '.recoveries[] | select(.award == "'"$a"'") | .amount')"

# --- Events against the award's dates ------------------------------------------------
check "change-payee on the end day (exit 1)" "1" \
	"$(status award change-payee "$b" --from 2026-05-11 --method direct --payee P1)"
grep -q "on or after the end of award $b" "$work/err" || { echo "FAILED: change-payee message"; cat "$work/err"; exit 1; }
check "change-payee on the last day is accepted" "0" \
	"$(status award change-payee "$b" --from 2026-05-10 --method direct --payee P1)"

# A payee change dated on or before the start replaces the payee the award was made
# with: the first cycle, due 2026-04-13 before the start on 04-15, goes to P2 too.
# 26 days x 42.80 / 7 = 158.971... -> 158.97.
f=$(p award create --client F1 --package long-term-support --need maintenance=high \
	--start 2026-04-15 --method direct --payee P1)
p award change-payee "$f" --from 2026-04-01 --method provider --payee P2 >/dev/null
json run --allow-future --date 2026-04-13 --dry-run --format json
check "first cycle to the new payee" "158.97 P2 provider 2026-04-13" \
	"$(jqr '.payments[] | select(.award == "'"$f"'") | "\(.amount) \(.payee) \(.method) \(.due)"')"

# --- Options a subcommand does not take -----------------------------------------------
before=$(snapshot)
check "suspend --on (exit 2)" "2" "$(status award suspend "$a" --from 2026-04-20 --on 2026-04-27)"
grep -q "award suspend does not take --on" "$work/err" || { echo "FAILED: option message"; cat "$work/err"; exit 1; }
check "extend --from (exit 2)" "2" "$(status award extend "$a" --from 2026-04-20)"
check "batch void --format (exit 2)" "2" "$(status batch void 2 --format json)"
check "batch show --payee (exit 2)" "2" "$(status batch show 2 --payee P1)"
check "nothing written" "$before" "$(snapshot)"

# --- No duplicate awards by accident ---------------------------------------------------
c=$(p award create --client D1 --package long-term-support --need maintenance=low \
	--start 2026-04-13 --method direct --payee P1)
check "an overlapping award of the same package (exit 1)" "1" \
	"$(status award create --client D1 --package long-term-support --need maintenance=low \
	   --start 2027-01-04 --method direct --payee P1)"
grep -q "client D1 already has award $c of package 'long-term-support' (2026-04-13 to 2028-04-12)" "$work/err" ||
	{ echo "FAILED: overlap message"; cat "$work/err"; exit 1; }
check "another package is fine" "0" "$(status award create --client D1 --package housing-options \
	--need basic=low --start 2026-04-13 --method direct --payee P1)"
check "--allow-overlap permits it" "0" "$(status award create --client D1 --package long-term-support \
	--need maintenance=low --start 2027-01-04 --method direct --payee P1 --allow-overlap)"
cat > "$work/load.csv" <<'EOF'
client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee
I1,housing-options,,,,,,high,,2026-04-13,,direct,P1
I2,housing-options,,,,,,low,,2026-04-13,,provider,P2
EOF
check "first import" "0" "$(status award import "$work/load.csv")"
before=$(snapshot)
check "the same caseload twice (exit 1)" "1" "$(status award import "$work/load.csv")"
check "every line named" "2" "$(grep -c -E '^phsg: error: line [23]: client I[12] already has award' "$work/err")"
check "nothing imported" "$before" "$(snapshot)"
printf 'I3,housing-options,,,,,,nonsense,,2026-04-13,,direct,P1\n' >> "$work/load.csv"
check "bad rows and refused rows (exit 2)" "2" "$(status award import "$work/load.csv")"
printf 'client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee,allow_overlap\nI1,housing-options,,,,,,high,,2026-05-01,,direct,P1,yes\n' > "$work/again.csv"
check "allow_overlap = yes" "0" "$(status award import "$work/again.csv")"

# --- Runs far ahead -------------------------------------------------------------------
far=$(date -d "+36 days" +%F)
near=$(date -d "+35 days" +%F)
check "a run 36 days ahead (exit 1)" "1" "$(status run --date "$far" --dry-run)"
grep -q "more than 35 days after today" "$work/err" || { echo "FAILED: future message"; cat "$work/err"; exit 1; }
check "35 days ahead is allowed" "0" "$(status run --date "$near" --dry-run)"
check "--allow-future" "0" "$(status run --date "$far" --dry-run --allow-future)"

# --- Reassessment shows its effect; --level moves the period and ceiling ----------------
s=$(p award create --client L1 --package supported-living --level 1 --need intensive=high \
	--need basic=high --need maintenance=high --start 2026-04-13 --method direct --payee P1)
# before: (10 + 4 + 2) h x 21.40 = 342.40 a week; after: basic low, 1 h = 21.40 a week.
p award reassess "$s" --from 2026-06-01 --need basic=low > "$work/out"
check "reassess before and after" "$s: reassessed from 2026-06-01: £342.40 a week before, £21.40 a week after
  no longer assessed: Short-term intensive intervention (was high need)
  no longer assessed: Long-term maintenance (was high need)" "$(cat "$work/out")"
# Level 1 runs 24 months without limit; level 2 from 2026-07-01: 12 months, up to 60.
# The award's dates do not move; extend then adds level 2's period: 12 months, from
# 2028-04-13 to 2029-04-13 (last day 2029-04-12).
p award reassess "$s" --from 2026-07-01 --level 2 >/dev/null
json award show "$s" --format json
check "a level change moves no date" "2028-04-13" "$(jqr .end)"
check "extend by the level in force" "$s extended by 12 months: it now runs to 2029-04-12" \
	"$(p award extend "$s")"
check "a level the package lacks (exit 2)" "2" "$(status award reassess "$s" --from 2026-08-01 --level 4)"

# An extension one month short of the ceiling: resettlement runs 6 months, up to 12.
x=$(p award create --client X1 --package resettlement --need basic=low --start 2026-04-13 \
	--method direct --payee P1)
p award extend "$x" --months 5 >/dev/null
check "2 months past a ceiling 1 month away (exit 1)" "1" "$(status award extend "$x" --months 2)"
grep -q "at most 1 more month$" "$work/err" || { echo "FAILED: ceiling message"; cat "$work/err"; exit 1; }
check "the last month is granted" "$x extended by 1 month: it now runs to 2027-04-12" "$(p award extend "$x" --months 1)"

# --- Cancelling a mistake: an award ended on the wrong date reopened ---------------------
e=$(p award create --client E1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-04-13 --format json
check "first cycle" "cycle 2026-04-13 2026-04-13 171.20" "$(pays "$e")"
p award end "$e" --on 2026-04-27 >/dev/null      # a mistake: 14 days, 85.60
json run --allow-future --date 2026-05-11 --format json
check "the mistaken end withholds cycle 05-11" "" "$(pays "$e")"
check "and shows an overpayment" "85.60" "$(jqr '.recoveries[] | select(.award == "'"$e"'") | .amount')"
p award cancel "$e" 2 --reason "ended on the wrong award" >/dev/null
# As if never ended: cycle 05-11 is newly due: round(E(06-08)) - P = 342.40 - 171.20.
json run --allow-future --date 2026-05-11 --format json
check "the next run pays what the end withheld" "cycle 2026-05-11 2026-05-11 171.20" "$(pays "$e")"
json award show "$e" --format json
check "events numbered, the cancelled one marked" "1 create false|2 end true|3 cancel false" \
	"$(jqr '[.events[] | "\(.number) \(.event) \(.cancelled)"] | join("|")')"
check "a cancelled event again (exit 1)" "1" "$(status award cancel "$e" 2 --reason again)"
check "a cancellation cannot be cancelled (exit 1)" "1" "$(status award cancel "$e" 3 --reason again)"
check "no such event (exit 2)" "2" "$(status award cancel "$e" 9 --reason nothing)"
check "--reason is required (exit 2)" "2" "$(status award cancel "$e" 2)"
# A cancellation that would leave a later event invalid: a suspension in the extension.
p award extend "$e" >/dev/null                    # event 4: 24 more months, to 2030-04-13
p award suspend "$e" --from 2029-01-01 --to 2029-02-01 >/dev/null   # event 5
before=$(snapshot)
check "cancelling the extension under a suspension (exit 1)" "1" "$(status award cancel "$e" 4 --reason x)"
grep -q "cancelling event 4 (extend) of award $e would leave event 5 (suspend, 2029-01-01)" "$work/err" ||
	{ echo "FAILED: cancel message"; cat "$work/err"; exit 1; }
check "nothing written" "$before" "$(snapshot)"

# --- Cancelling event 1 withdraws an award made in error ---------------------------------
w=$(p award create --client W1 --package resettlement --need intensive=low --need basic=low \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-04-13 --format json
check "paid before the mistake was seen" "cycle 2026-04-13 2026-04-13 342.40" "$(pays "$w")"
p award cancel "$w" 1 --reason "made in error" >/dev/null
json run --allow-future --date 2026-05-11 --format json
check "nothing more is paid" "" "$(pays "$w")"
check "everything paid is a recovery due" "342.40 due from payee" \
	"$(jqr '.recoveries[] | select(.award == "'"$w"'") | "\(.amount) \(.status)"')"
check "withdrawn takes no events (exit 1)" "1" "$(status award suspend "$w" --from 2026-04-20)"

# --- A payment returned by the bank ---------------------------------------------------------
r=$(p award create --client RT --package housing-options --need basic=high \
	--start 2026-08-03 --method direct --payee P2)
json run --allow-future --date 2026-08-03 --format json
rb=$(jqr .batch)
pid=$(p batch show "$rb" --format json | jq -r '.payments[] | select(.award == "'"$r"'") | .payment')
check "return before sent (exit 1)" "1" "$(status batch return "$rb" --payment "$pid" --on 2026-08-05 --reason closed)"
p batch sent "$rb" >/dev/null
p batch return "$rb" --payment "$pid" --on 2026-08-05 --reason "account closed" >/dev/null
check "returned twice (exit 1)" "1" "$(status batch return "$rb" --payment "$pid" --on 2026-08-06 --reason again)"
# housing options basic high = 4 h = 85.60 a week = 342.40 a cycle; the return takes it
# back, so the next run (no new cycle: the next is 08-31) pays 342.40 as an adjustment.
json run --allow-future --date 2026-08-10 --format json
check "the returned payment paid again" "adjustment 2026-08-03 2026-08-10 342.40" "$(pays "$r")"
json batch show "$rb" --format json
check "the batch shows the reversal" "342.40 -342.40" \
	"$(jqr '[.payments[] | select(.award == "'"$r"'") | .amount] | join(" ")')"
check "the explanation gives the return's date and reason" \
	"Payment $pid (£342.40) was returned by the bank on 2026-08-05: account closed.  It no longer counts as paid; the next run pays it again." \
	"$(p award explain "$r" | grep -o 'Payment [0-9]* (£342.40) was returned.*')"

# --- No empty batches; exports refused for nothing of their kind ----------------------------
json run --allow-future --date 2026-08-10 --format json
check "a run that pays nothing makes no batch" "null" "$(jqr .batch)"
check "and says nothing due" "Payment run for 2026-08-10: nothing due." "$(p run --allow-future --date 2026-08-10)"
# a ledger of its own, whose first batch pays cards only and second banks only
PHSG_LEDGER=$(new_ledger cards); export PHSG_LEDGER
setup_payees
k=$(p award create --client K1 --package housing-options --need basic=low --start 2026-08-31 \
	--method card --payee C1)
p award end "$k" --on 2026-09-28 >/dev/null
json run --allow-future --date 2026-08-31 --format json
kb=$(jqr .batch)
check "only card payments in batch $kb" "card" "$(jqr '[.payments[].method] | unique | join(" ")')"
p award create --client K2 --package housing-options --need basic=low --start 2026-09-28 \
	--method direct --payee P1 >/dev/null
json run --allow-future --date 2026-09-28 --format json
bb=$(jqr .batch)
check "only bank payments in batch $bb" "direct" "$(jqr '[.payments[].method] | unique | join(" ")')"
check "no bank payment: no Bacs file (exit 1)" "1" "$(status batch export "$kb" --format bacs)"
grep -q "batch $kb has no payment to a bank account" "$work/err" || { echo "FAILED: bacs message"; cat "$work/err"; exit 1; }
check "the card file is made" "0" "$(status batch export "$kb" --format card)"
check "no card payment: no card file (exit 1)" "1" "$(status batch export "$bb" --format card)"
grep -q "batch $bb has no card payment" "$work/err" || { echo "FAILED: card message"; cat "$work/err"; exit 1; }

# --- An overpayment on the award's last day, and on its end ------------------------------
# The end is the first day not covered (SPEC section 4).  The day before it the award is
# still running, so what it was paid beyond its entitlement is outstanding, netted from
# later payments; on the end day it has ended, so the same amount is due from the payee.
PHSG_LEDGER=$(new_ledger ending); export PHSG_LEDGER
setup_payees
n=$(p award create --client N1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
json run --allow-future --date 2026-04-13 --format json     # cycle 04-13..05-11: 171.20
check "paid a whole cycle" "cycle 2026-04-13 2026-04-13 171.20" "$(pays "$n")"
# ended on 04-27: entitled 14 days x 42.80 / 7 = 85.60, paid 171.20: 85.60 over
p award end "$n" --on 2026-04-27 >/dev/null
json run --allow-future --dry-run --date 2026-04-26 --format json
check "the last day covered: outstanding" "85.60 P1 outstanding, netted from later payments" \
	"$(jqr '[.recoveries[] | "\(.amount) \(.payee) \(.status)"] | join("|")')"
json run --allow-future --dry-run --date 2026-04-27 --format json
check "the end day: due from the payee" "85.60 P1 due from payee" \
	"$(jqr '[.recoveries[] | "\(.amount) \(.payee) \(.status)"] | join("|")')"

# --- A command that fails leaves no ledger file behind ----------------------------------------
fresh=$(new_ledger fresh)
check "a failed first command (exit 2)" "2" "$(PHSG_LEDGER="$fresh" status award create --client X \
	--package resettlement --need basic=low --start 2026-04-13 --method direct --payee NOBODY)"
check "no ledger left" "absent" "$(is_ledger "$fresh")"
check "no side files left" "" "$(ls "$work" | grep fresh)"
