# SPEC section 13: support plans, reviews, the refusals with their figures, and report
# reviews on a small caseload worked out by hand.  Medway: the first review 6 weeks
# (42 days) after the start, then every 12 months after the latest review.
. "$(dirname "$0")/lib.bash"
setup_payees
p payee update P2 --accredited yes --from 2026-01-01 >/dev/null

# --- plan add: each refusal ----------------------------------------------------------------
# maintenance high: 2 hours a week
a=$(p award create --client Q1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
h=$(p award create --client Q2 --package housing-options --need basic=low --start 2026-08-03 \
	--method direct --payee P1)      # 3 months, not extendable: to 2026-11-02
check "first outcome" "$a/1" "$(p plan add "$a" --area feeling-safe --goal "Feel safe at home" \
	--by 2026-10-01 --measure "Says so at review" --hours 1.5)"
before=$(snapshot)
check "hours over the award's (exit 1)" "1" "$(status plan add "$a" --area reduce-debt --goal x --ongoing --hours 1)"
grep -q "the plan would need 2.5 hours a week, more than the 2 hours a week award $a is assessed for" "$work/err" ||
	{ echo "FAILED: hours message"; cat "$work/err"; exit 1; }
check "a date past the ceiling (exit 1)" "1" "$(status plan add "$h" --area reduce-debt --goal x --by 2026-11-03)"
grep -q "the target date 2026-11-03 is outside award $h, which can run from 2026-08-03 to 2026-11-02 at the most" "$work/err" ||
	{ echo "FAILED: date message"; cat "$work/err"; exit 1; }
check "a date before the start (exit 1)" "1" "$(status plan add "$h" --area reduce-debt --goal x --by 2026-08-02)"
check "generalist without a provider (exit 1)" "1" "$(status plan add "$a" --area reduce-debt --goal x --ongoing --way generalist)"
grep -q "way 'generalist' is only through an accredited provider" "$work/err" || { echo "FAILED: generalist message"; cat "$work/err"; exit 1; }
check "generalist through a provider not accredited (exit 1)" "1" \
	"$(status plan add "$a" --area reduce-debt --goal x --ongoing --way generalist --provider P1)"
check "employ without social care (exit 1)" "1" "$(status plan add "$a" --area reduce-debt --goal x --ongoing --way employ)"
grep -q "way 'employ' is only for a person also funded by adult social care" "$work/err" || { echo "FAILED: employ message"; cat "$work/err"; exit 1; }
check "an unknown area (exit 2)" "2" "$(status plan add "$a" --area nowhere --goal x --ongoing)"
check "an unknown way (exit 2)" "2" "$(status plan add "$a" --area reduce-debt --goal x --ongoing --way magic)"
check "--by and --ongoing (exit 2)" "2" "$(status plan add "$a" --area reduce-debt --goal x --ongoing --by 2026-10-01)"
check "nothing written" "$before" "$(snapshot)"
check "generalist through an accredited provider" "$a/2" "$(p plan add "$a" --area reduce-debt \
	--goal "Clear rent arrears" --ongoing --way generalist --provider P2 --hours 0.5)"
s=$(p award create --client Q3 --package long-term-support --need maintenance=low --start 2026-04-13 \
	--method direct --payee P1 --social-care)
check "employ with social care" "$s/1" "$(p plan add "$s" --area contact --goal "See family" --ongoing --way employ)"
# hours kept exactly as given (0.125 is not rounded to pence), no date when ongoing
check "an ongoing outcome of 0.125 hours" "$s/2" "$(p plan add "$s" --area contact --goal "Call weekly" --ongoing --hours 0.125)"
json plan show "$s" --format json
check "kept as given" '[{"by":null,"hours":null},{"by":null,"hours":"0.125"}]' \
	"$(jqr '[.outcomes[] | {by, hours}]' | jq -c .)"
# stored hours that are not a number (a copy edited by hand) are refused, never read as none
bad=$(new_ledger badhours)
p ledger copy "$PHSG_LEDGER" "$bad" >/dev/null
left_damaged "$bad"
sql_on "$bad" "UPDATE plan_outcomes SET hours = '1x' WHERE hours = '0.125'"
row=$(sql_read "$bad" "SELECT id FROM plan_outcomes WHERE hours = '1x'")
award_id=$(sql_read "$bad" "SELECT award_id FROM plan_outcomes WHERE hours = '1x'")
check "plan show refuses them (exit 3)" "3" "$(PHSG_LEDGER=$bad status plan show "$s")"
check "naming the outcome" "phsg: error: outcome 2 of award id $award_id: its hours, as stored, are not a number; phsg verify names the row" \
	"$(cat "$work/err")"
check "verify names the row (exit 3)" "3" "$(PHSG_LEDGER=$bad status verify)"
check "and the column" "fault: outcome $row, column hours: '1x' is not a non-negative decimal number (write it as digits with an optional point, e.g. \"16.50\")" \
	"$(cat "$work/out")"

# --- reviews ---------------------------------------------------------------------------------
check "a review after the end (exit 1)" "1" "$(status review "$h" --on 2026-11-04)"
grep -q "a review on 2026-11-04 is outside award $h: it may be dated from 2026-08-03 to 2026-11-03" "$work/err" ||
	{ echo "FAILED: review date message"; cat "$work/err"; exit 1; }
check "an exit review on the end date" "0" "$(status review "$h" --on 2026-11-03 --note "exit")"
json award show "$h" --format json
check "the review with a note is recorded" '["2026-11-03"]' "$(jqr '.reviews' | jq -c .)"
check "an outcome the plan lacks (exit 2)" "2" "$(status review "$a" --on 2026-05-25 --outcome 9=achieved)"
check "a status that is not one (exit 2)" "2" "$(status review "$a" --on 2026-05-25 --outcome 1=done)"
p review "$a" --on 2026-05-25 --outcome 1=partial >/dev/null
p review "$a" --on 2026-09-01 --outcome 1=achieved --outcome 2=partial >/dev/null
# plan hours: outcome 1 achieved no longer counts: 0.5 of 2 hours; next review 2027-09-01
json plan show "$a" --format json
check "plan show" "2 0.5 2027-09-01 $a/1 achieved 2026-09-01|$a/2 partial 2026-09-01" \
	"$(jqr '"\(.weekly_hours) \(.plan_hours) \(.next_review) " + ([.outcomes[] | "\(.outcome) \(.status) \(.status_on)"] | join("|"))')"
json award show "$a" --format json

# --- report reviews as of 2026-10-05 (28 days ahead: 2026-11-02) ------------------------------
PHSG_LEDGER=$(new_ledger reviews); export PHSG_LEDGER
setup_payees
mk() { p award create --client "$1" --package "$2" --need "$3" --start "$4" --method direct --payee P1; }
r1=$(mk R1 long-term-support maintenance=high 2026-08-31)  # first review 08-31 + 42 = 10-12: due
r2=$(mk R2 long-term-support maintenance=high 2026-07-06)  # first review 08-17: overdue
r3=$(mk R3 long-term-support maintenance=high 2025-09-01)  # reviewed 2025-10-13: next 2026-10-13
p review "$r3" --on 2025-10-13 >/dev/null
r4=$(mk R4 housing-options basic=low 2026-08-03)           # first review 09-14 overdue; last day 11-02
r5=$(mk R5 long-term-support maintenance=high 2026-04-13)  # reviewed 05-25: next 2027-05-25
p plan add "$r5" --area paid-work --goal "Find work" --by 2026-09-30 >/dev/null
p review "$r5" --on 2026-05-25 --outcome 1=partial >/dev/null   # past 09-30, not achieved
mk R6 long-term-support maintenance=high 2026-11-01 >/dev/null   # not started: not listed
r7=$(mk R7 housing-options basic=low 2026-04-13)           # ended 2026-07-13: not listed
json report reviews --as-of 2026-10-05 --format json
check "reviews due, overdue first" "$r2 2026-08-17 first-review null|$r4 2026-09-14 first-review null|$r5 2026-09-30 outcome-past-date $r5/1|$r1 2026-10-12 first-review null|$r3 2026-10-13 periodic null|$r4 2026-11-02 ending null" \
	"$(jqr '[.reviews[] | "\(.award) \(.due) \(.reason) \(.outcome)"] | join("|")')"
check "text: overdue marked" "3" "$(p report reviews --as-of 2026-10-05 | grep -c OVERDUE)"
# on its end date (2026-07-13, the first day not covered) R7 is no longer running
json report reviews --as-of 2026-07-13 --format json
check "an award on its end date is not listed (nothing due then: an empty list)" "0" "$(jqr '.reviews | length')"
check "csv" "7" "$(p report reviews --as-of 2026-10-05 --format csv | wc -l)"

# --- extension only after a recent review, where the scheme asks ------------------------------
sed 's/^  # extend_needs_review_days = 90;.*/  extend_needs_review_days = 90;/' config/medway.cfg > "$work/review.cfg"
cp config/bank-holidays-england-wales.cfg "$work/"
export PHSG_CONFIG="$work/review.cfg"
e=$(mk E1 resettlement intensive=low 2026-04-13)    # 6 months: ends 2026-10-13
check "extend without a recent review (exit 1)" "1" "$(status award extend "$e")"
grep -q "award $e is extended only after a review within 90 days before its end: none is recorded from 2026-07-15 to 2026-10-12" "$work/err" ||
	{ echo "FAILED: review rule message"; cat "$work/err"; exit 1; }
p review "$e" --on 2026-07-15 >/dev/null
check "extended after a review" "$e extended by 6 months: it now runs to 2027-04-12" "$(p award extend "$e")"
