# SPEC section 11: bringing in a caseload the previous system had already paid.
# M1 long-term-support, maintenance high: 2 h x 21.40 = 42.80 a week, from 2025-10-01,
# paid by the previous system to 2026-04-13 (paid_to).  Days before 04-13: 30 in
# October after the 1st... counted whole: Oct 31 + Nov 30 + Dec 31 + Jan 31 + Feb 28 +
# Mar 31 = 182 to 04-01, + 12 = 194 days; 194 x 42.80 / 7 = 8303.20 / 7 = 1186.1714...
# -> an opening posting of 1186.17, due 2026-04-12, in the cycle 2026-03-16..04-13.
. "$(dirname "$0")/lib.bash"
setup_payees
cat > "$work/load.csv" <<'CSV'
client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee,paid_to,extended_months,social_care
M1,long-term-support,,,,,,,high,2025-10-01,,direct,P1,2026-04-13,,no
M2,resettlement,,,,,low,low,,2026-04-13,,provider,P2,,6,yes
CSV
check "import" "A000001 A000002" "$(p award import "$work/load.csv" | tr '\n' ' ' | sed 's/ $//')"
json award show A000002 --format json
# resettlement runs 6 months, extendable to 12: 6 months already granted -> 2027-04-13
check "extended_months" "2027-04-13" "$(jqr .end)"
check "the extension is an event" "create extend" "$(jqr '[.events[].event] | join(" ")')"
json award show A000001 --as-of 2026-04-12 --format json
check "the opening posting" "opening 2026-03-16 2026-04-13 2026-04-12 1186.17 P1" \
	"$(jqr '.payments[] | "\(.kind) \(.cycle_start) \(.cycle_end) \(.due) \(.amount) \(.payee)"')"
# The first run pays only what accrues from 2026-04-13: E(05-11) = 222 days x 42.80 / 7 =
# 9501.60 / 7 = 1357.3714 -> 1357.37; less the 1186.17 already paid = 171.20, one cycle.
json run --allow-future --date 2026-04-13 --format json
check "the first run" "A000001 cycle 2026-04-13 171.20|A000002 cycle 2026-04-13 342.40" \
	"$(jqr '[.payments[] | "\(.award) \(.kind) \(.cycle_start) \(.amount)"] | join("|")')"
check "the opening is in no batch" "171.20 342.40" "$(p batch show 1 --format json | jq -r '[.payments[].amount] | join(" ")')"
# Who wrote each payment and when (ledger version 11): the opening, in no batch, says so
# itself - tester, at the time of the import that wrote it and its award in one
# transaction; the run's two leave both to their batch ('' and '')
# (kind, operator, created_at empty?, created_at the award's?)
check "who and when: the opening's own, the run's their batch's" "opening|tester|0|1 cycle||1|0 cycle||1|0" \
	"$(sql_read "$PHSG_LEDGER" "SELECT p.kind || '|' || p.operator || '|' ||
		CASE WHEN p.created_at = '' THEN 1 ELSE 0 END || '|' ||
		CASE WHEN p.created_at = a.created_at THEN 1 ELSE 0 END FROM payments p
		JOIN awards a ON a.id = p.award_id ORDER BY p.id" | tr '\n' ' ' | sed 's/ $//')"
p batch export 1 --format bacs --processing-date 2026-04-13 > "$work/b.bacs"
check "nor in the bank file: two credits" "2" "$(tr -d '\r' < "$work/b.bacs" | awk 'length($0) == 100 && substr($0, 16, 2) == "99"' | wc -l)"
# Balances through 04-13: entitled 195 days x 42.80 / 7 = 1192.2857 -> 1192.29 (M1);
# paid 1186.17 + 171.20 = 1357.37.
json report balances --as-of 2026-04-13 --format json
check "the opening counts as paid" "1192.29 1357.37" \
	"$(jqr '.awards[] | select(.award == "A000001") | "\(.entitled) \(.paid)"')"
p export --format ledger > "$work/all.journal"
json report balances --as-of 2030-01-01 --format json
paid=$(jqr .paid)
# 1357.37 (M1) + 342.40 (M2) = 1699.77
check "net paid" "1699.77" "$paid"
check "ledger agrees" "$paid" "$(ledger -f "$work/all.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')"
check "hledger agrees" "$paid" "$(hledger -f "$work/all.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')"
check "the opening is from Equity:Opening Balances" "£-1186.17" \
	"$(ledger -f "$work/all.journal" bal '^Equity:Opening Balances' | tail -1 | awk '{ print $1 }')"
check "the bank paid the rest" "£-513.60" "$(ledger -f "$work/all.journal" bal ^Assets:Bank | tail -1 | awk '{ print $1 }')"
hledger -f "$work/all.journal" check --strict >/dev/null 2>"$work/err" || { echo "FAILED: hledger check --strict"; cat "$work/err"; exit 1; }
p export --format csv > "$work/all.csv"
check "the journal CSV's opening row has no batch" '"2026-04-12","opening","A000001","M1","long-term-support","ras","P1","2026-03-16","2026-04-13","1186.17",""' \
	"$(grep '"opening"' "$work/all.csv" | tr -d '\r')"
check "report payments leaves the opening out" "513.60" \
	"$(p report payments --from 2026-01-01 --to 2027-01-01 --format json | jq -r .total)"
check "verify" "ok" "$(p verify)"

# Bad and refused rows: past the ceiling (exit 1 alone), bad values (exit 2).
cat > "$work/bad.csv" <<'CSV'
client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee,extended_months
M3,resettlement,,,,,low,low,,2026-04-13,,direct,P1,7
CSV
before=$(snapshot)
check "extended past the ceiling (exit 1)" "1" "$(status award import "$work/bad.csv")"
grep -q "line 2: extending award .* past the ceiling of package 'resettlement'" "$work/err" ||
	{ echo "FAILED: ceiling message"; cat "$work/err"; exit 1; }
printf 'client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee,paid_to\nM4,resettlement,,,,,low,low,,2026-04-13,,direct,P1,2027-01-01\n' > "$work/bad2.csv"
check "paid_to after the award (exit 2)" "2" "$(status award import "$work/bad2.csv")"
grep -q "line 2: paid_to 2027-01-01 is after the award's last day, 2026-10-12" "$work/err" ||
	{ echo "FAILED: paid_to message"; cat "$work/err"; exit 1; }
printf 'client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee,paid_too\nM5,resettlement,,,,,low,low,,2026-04-13,,direct,P1,2026-05-01\n' > "$work/bad3.csv"
check "a misspelt paid_to (exit 2)" "2" "$(status award import "$work/bad3.csv")"
grep -q "unknown column 'paid_too'" "$work/err" || { echo "FAILED: column message"; cat "$work/err"; exit 1; }
check "nothing imported" "$before" "$(snapshot)"
