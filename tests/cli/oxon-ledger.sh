# Oxfordshire's packages on the ledger: components paid on their own to
# their own payees, tier upgrades charged to the person, a downgrade, a tier
# reassessed mid-cycle, and Home Alone refused an extension.
# Oxfordshire: 22.00 an hour from 2025-04-01.  Cycles from 2011-04-04:
# boundaries 2026-04-13, 05-11, 06-08.
. "$(dirname "$0")/lib.bash"
export PHSG_CONFIG="$root/config/oxfordshire.cfg"
setup_payees
check "scheme-fixed payee must exist (exit 2)" "2" "$(status award create --client F0 --package core-and-flexi \
	--hours 5 --start 2026-04-13 --method direct --payee P1)"
grep -q "fixed by the scheme, but there is no such payee" "$work/err" || { echo "FAILED: message"; cat "$work/err"; exit 1; }
p payee add scheme-provider --name "Look Ahead Care" --sort-code 300000 --account 10101010 >/dev/null

# --- Core and flexi: cash to the person, flexi hours to a provider ---------------
cf=$(p award create --client F1 --package core-and-flexi --hours 5 --start 2026-04-13 \
	--method direct --payee P1 --component-payee flexi=P2)
check "unknown component (exit 2)" "2" "$(status award create --client F2 --package core-and-flexi --hours 5 \
	--start 2026-04-13 --method direct --payee P1 --component-payee vouchers=P2)"
grep -q "has no component 'vouchers'" "$work/err" || { echo "FAILED: component message"; exit 1; }
check "flexi above the maximum (exit 1)" "1" "$(status award create --client F3 --package core-and-flexi --hours 8.5 \
	--start 2026-04-13 --method direct --payee P1)"
check "tier on core and flexi (exit 2)" "2" "$(status award create --client F4 --package core-and-flexi --hours 5 \
	--tier 2 --start 2026-04-13 --method direct --payee P1)"
# One 28-day cycle: core 4 x 38.00 = 152.00 to the scheme's provider; flexi 4 x 5 x 22.00
# = 440.00 to P2; cash 40.00 per cycle to the person.
json run --allow-future --date 2026-04-13 --format json
check "components paid on their own" "core 152.00 scheme-provider provider|flexi 440.00 P2 provider|cash 40.00 P1 direct" \
	"$(jqr '[.payments[] | select(.award == "'"$cf"'") | "\(.component) \(.amount) \(.payee) \(.method)"] | join("|")')"
# Flexi hours cut to 3 from 2026-04-27 (two weeks in): flexi E to 06-08 =
# 14 days x 110.00/7 + 42 days x 66.00/7 = 220.00 + 396.00 = 616.00; paid 440.00 -> 176.00.
p award reassess "$cf" --from 2026-04-27 --hours 3 >/dev/null
check "hours above the maximum on reassessment (exit 1)" "1" "$(status award reassess "$cf" --from 2026-05-01 --hours 9)"
json run --allow-future --date 2026-05-11 --format json
check "flexi after the cut" "176.00" "$(jqr '[.payments[] | select(.award == "'"$cf"'" and .component == "flexi")][0].amount')"
json award show "$cf" --as-of 2026-05-11 --format json
check "show lists components with payees" "core scheme-provider 38.00|flexi P2 66.00|cash P1 10.00" \
	"$(jqr '[.components[] | "\(.id) \(.payee) \(.weekly_amount)"] | join("|")')"

# --- Tiers: an upgrade from 2 to 4, paid in part by the person -------------------
up=$(p award create --client T1 --package older-people-tiered --tier 2 --chosen-tier 4 \
	--start 2026-04-13 --method direct --payee P1)
# funded tier 2 = 3.00 a week: 12.00 a cycle; the person pays 12.00 - 3.00 = 9.00 a week: 36.00.
json run --allow-future --date 2026-04-13 --format json
check "funded tier" "12.00" "$(jqr '[.payments[] | select(.award == "'"$up"'")][0].amount')"
check "contribution charged to the person" "36.00 T1 contribution-charge" \
	"$(jqr '.contributions[] | select(.award == "'"$up"'") | "\(.amount) \(.payee) \(.kind)"')"

# --- A downgrade: assessed 4, chooses 2: only tier 2 is funded, nothing charged -----
down=$(p award create --client T2 --package older-people-tiered --tier 4 --chosen-tier 2 \
	--start 2026-04-13 --method direct --payee P2)
json run --allow-future --date 2026-04-13 --format json
check "downgrade funds the chosen tier" "12.00" "$(jqr '[.payments[] | select(.award == "'"$down"'")][0].amount')"
check "no contribution for a downgrade" "0" "$(jqr '[.contributions[] | select(.award == "'"$down"'")] | length')"

# --- A tier reassessed mid-cycle ----------------------------------------------------
mid=$(p award create --client T3 --package older-people-tiered --tier 1 --start 2026-04-13 \
	--method direct --payee P1)
json run --allow-future --date 2026-04-13 --format json
check "tier 1: 4 x 1.50" "6.00" "$(jqr '[.payments[] | select(.award == "'"$mid"'")][0].amount')"
# Assessed at tier 3 (6.00 a week) from 2026-04-20, one week into the paid cycle.
# E to 06-08: 7 days x 1.50/7 + 49 days x 6.00/7 = 1.50 + 42.00 = 43.50; paid 6.00 -> 37.50.
check "a tier reassessed shows its effect" "$mid: reassessed from 2026-04-20: £1.50 a week before, £6.00 a week after" \
	"$(p award reassess "$mid" --from 2026-04-20 --tier 3)"
check "a tier the package lacks (exit 2)" "2" "$(status award reassess "$mid" --from 2026-04-27 --tier 6)"
json run --allow-future --date 2026-05-11 --format json
check "tier reassessed mid-cycle" "37.50" "$(jqr '[.payments[] | select(.award == "'"$mid"'")][0].amount')"

# --- Home Alone: a month, never extended ------------------------------------------------
ha=$(p award create --client H1 --package home-alone --start 2026-04-13 --method direct --payee P1)
check "home alone refused an extension (exit 1)" "1" "$(status award extend "$ha")"
grep -q "package 'home-alone' can be extended up to 1 months" "$work/err" || { echo "FAILED: message"; cat "$work/err"; exit 1; }
# 2026-04-13 to 2026-05-13: 30 days x 20.00 / 7 = 85.714 -> 85.71, over two cycles:
# 80.00 (28 days) then 5.71.
json run --allow-future --date 2026-05-11 --format json
check "home alone, both cycles" "80.00 5.71" "$(jqr '[.payments[] | select(.award == "'"$ha"'") | .amount] | join(" ")')"

# --- Reports and the journal carry the contributions --------------------------------
json report balances --as-of 2026-05-11 --format json
# T1: cycles due 04-13 and 05-11, 36.00 each
check "contributions in balances" "72.00" "$(jqr '.awards[] | select(.award == "'"$up"'") | .contributions')"
# The run of 05-11 kept T1's sums for the next run and for reports (schema 9): the
# contribution charged first, 72.00; its one component paid, 2 x 12.00 = 24.00, and
# recovered, 0.00; the latest date they add up, 05-11.  The report read them: one
# changed by hand to 73.00 charged is what it shows (verify would name it), until put back.
upsums="SELECT sums FROM award_index WHERE award_id = (SELECT id FROM awards WHERE ref = '$up')"
check "T1's kept sums" "(charged)=7200 tier=2400,0 (through)=2026-05-11" "$(sql_read "$PHSG_LEDGER" "$upsums")"
sql_on "$PHSG_LEDGER" "UPDATE award_index SET sums = replace(sums, '=7200', '=7300')
	WHERE award_id = (SELECT id FROM awards WHERE ref = '$up')"
json report balances --as-of 2026-05-11 --format json
check "the kept charge is what the report reads" "73.00" "$(jqr '.awards[] | select(.award == "'"$up"'") | .contributions')"
check "and verify names it" "3" "$(status verify)"
sql_on "$PHSG_LEDGER" "UPDATE award_index SET sums = replace(sums, '=7300', '=7200')
	WHERE award_id = (SELECT id FROM awards WHERE ref = '$up')"
json report balances --as-of 2026-05-11 --format json
p export --format ledger > "$work/oxon.journal"
check "journal: contributions receivable" "72.00" \
	"$(ledger -f "$work/oxon.journal" bal ^Assets:Receivable:Contributions | tail -1 | awk '{ print $1 }' | tr -d '£')"
check "journal: grants equal net paid" "$(jqr .paid)" \
	"$(ledger -f "$work/oxon.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')"
hledger -f "$work/oxon.journal" check >/dev/null 2>"$work/err" || { echo "FAILED: hledger check"; cat "$work/err"; exit 1; }

# --- The person pays; then the upgrade is withdrawn, backdated: a refund ------------------
# T1 chose tier 4 over assessed 2 (9.00 a week charged) and was charged 36.00 for each of
# the cycles due 04-13 and 05-11 (72.00).  The person pays 50.00 on 2026-05-12.
p contribution receive "$up" --amount 50.00 --on 2026-05-12 >/dev/null
json report contributions --as-of 2026-05-12 --format json
# outstanding = charged - received + refunded = 72.00 - 50.00 + 0 = 22.00; nothing to refund
check "contributions: part paid" "72.00 50.00 0.00 22.00 0.00" \
	"$(jqr '.awards[] | select(.award == "'"$up"'") | "\(.charged) \(.received) \(.refunded) \(.outstanding) \(.refund_due)"')"
check "a refund of money not overpaid is refused (exit 1)" "1" \
	"$(status contribution refund "$up" --amount 0.01 --on 2026-05-12)"
grep -q "the person paid 0.00 beyond what was charged" "$work/err" || { echo "FAILED: refund message"; cat "$work/err"; exit 1; }
# Reassessed from 2026-04-13 to choose tier 2: no contribution was ever due.  The next
# run withdraws the 72.00 charged (net charged 0.00); of the 50.00 received, all 50.00 is
# now due back: refund_due = received - refunded - charged = 50.00 - 0 - 0 = 50.00.
p award reassess "$up" --from 2026-04-13 --chosen-tier 2 >/dev/null
json run --allow-future --date 2026-05-12 --format json
check "charges withdrawn" "-72.00 contribution-withdrawn" \
	"$(jqr '.contributions[] | select(.award == "'"$up"'") | "\(.amount) \(.kind)"')"
check "no refund is announced as a recovery" "0" "$(jqr '[.recoveries[] | select(.award == "'"$up"'")] | length')"
json report contributions --as-of 2026-05-12 --format json
check "contributions: refund due" "0.00 50.00 0.00 0.00 50.00" \
	"$(jqr '.awards[] | select(.award == "'"$up"'") | "\(.charged) \(.received) \(.refunded) \(.outstanding) \(.refund_due)"')"
check "refund more than received beyond charges (exit 1)" "1" \
	"$(status contribution refund "$up" --amount 50.01 --on 2026-05-13)"
grep -q "the person paid 50.00 beyond what was charged" "$work/err" || { echo "FAILED: refund limit message"; cat "$work/err"; exit 1; }
before=$(snapshot)
check "receive with an unknown option (exit 2)" "2" "$(status contribution receive "$up" --amount 1.00 --on 2026-05-13 --from 2026-05-13)"
check "nothing written by refused commands" "$before" "$(snapshot)"
p contribution refund "$up" --amount 50.00 --on 2026-05-13 >/dev/null
json report contributions --as-of 2026-05-13 --format json
check "contributions: refunded" "0.00 50.00 50.00 0.00 0.00" \
	"$(jqr '.awards[] | select(.award == "'"$up"'") | "\(.charged) \(.received) \(.refunded) \(.outstanding) \(.refund_due)"')"
# the journal moves: charged 72.00 - withdrawn 72.00 - received 50.00 + refunded 50.00 = 0.00
# on the receivable; the bank got 50.00 and paid 50.00 back.
p export --format ledger > "$work/oxon2.journal"
check "journal: receivable settled" "0 Assets:Receivable:Contributions" \
	"$(ledger -f "$work/oxon2.journal" bal -E ^Assets:Receivable:Contributions | tail -1 | awk '{ print $1, $2 }' | tr -d '£')"
check "journal: income withdrawn" "0 Income:Contributions" \
	"$(ledger -f "$work/oxon2.journal" bal -E ^Income:Contributions | tail -1 | awk '{ print $1, $2 }' | tr -d '£')"
check "journal: refund out of the bank" "£-50.00" \
	"$(ledger -f "$work/oxon2.journal" reg ^Assets:Bank --limit 'tag("kind") == "contribution-refund"' --format '%(amount)\n')"
hledger -f "$work/oxon2.journal" check >/dev/null 2>"$work/err" || { echo "FAILED: hledger check"; cat "$work/err"; exit 1; }
p export --format csv > "$work/oxon.csv"
check "contribution rows in csv" "contribution-charge contribution-withdrawn contribution-received contribution-refund" \
	"$(tail -n +2 "$work/oxon.csv" | tr -d '\r"' | awk -F, -v a="$up" '$3 == a && $2 ~ /^contribution/ { print $2 }' | awk '!seen[$0]++' | tr '\n' ' ' | sed 's/ $//')"

# --- Exports: the Oxfordshire originator, core paid to the scheme's provider ----------
p batch export 1 --format bacs > "$work/oxon.bacs"
check "originator's service user number" "HDR1A654321S  1654321" "$(sed -n 2p "$work/oxon.bacs" | cut -c1-21)"
grep -q "^3000001010101009930987687654321    00000015200OXFORDSHIRE CC    $cf 260413    LOOK AHEAD CARE   " "$work/oxon.bacs" ||
	{ echo "FAILED: the core component's credit to the scheme's provider"; cat -A "$work/oxon.bacs"; exit 1; }

# --- The live caseload (SPEC section 13): every award running on or after D --------------
# as currently assessed: F1's flexi hours are 3 since the cut (exact, no
# places added); T1 chose tier 2 again from the start; T3 is at tier 3.
# 12-month awards end 2027-04-13, Home Alone (a month) on 2026-05-13, the
# first day none of them covers.  A row's method and payee are its first
# component's: core, paid to the scheme's provider.
caseload_head='"client","package","level","tier","chosen_tier","hours","start","end","method","payee"'
caseload_long='"F1","core-and-flexi","","","","3","2026-04-13","2027-04-13","provider","scheme-provider"
"T1","older-people-tiered","","2","2","","2026-04-13","2027-04-13","direct","P1"
"T2","older-people-tiered","","4","2","","2026-04-13","2027-04-13","direct","P2"
"T3","older-people-tiered","","3","","","2026-04-13","2027-04-13","direct","P1"'
caseload_ha='"H1","home-alone","","","","","2026-04-13","2026-05-13","direct","P1"'
# Home Alone's last day is 2026-05-12: it is running on that day, not on the next
check "caseload as of 2026-05-12" "$caseload_head
$caseload_long
$caseload_ha" "$(p export --format caseload --as-of 2026-05-12 | tr -d '\r')"
check "caseload as of 2026-05-13" "$caseload_head
$caseload_long" "$(p export --format caseload --as-of 2026-05-13 | tr -d '\r')"
# without --as-of, every award (the help: "default: all")
check "caseload of every award" "$caseload_head
$caseload_long
$caseload_ha" "$(p export --format caseload | tr -d '\r')"
