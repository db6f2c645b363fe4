# SPEC section 11: award explain, for an award with a rate change, a backdated
# reassessment, a suspension and a recovery.  Every figure in its lines is recomputed
# by tests/cli/explain_check.py from the dates, hours and rates alone (Fractions).
# The scheme (tests/cli/data/medway-higher.cfg): 21.40 an hour, 23.10 from 2026-10-01.
# The award: long-term-support, maintenance medium (1 h) from 2026-08-03; cycles
# 08-03, 08-31 (due Friday 08-28: the 31st is a bank holiday), 09-28, 10-26.
#   run 08-03: 85.60; run 08-31: 85.60
#   reassessed to high (2 h) from 08-17, backdated; run 09-07, no new cycle: an
#     adjustment: E(09-27) = 14 x 21.40/7 + 42 x 42.80/7 = 42.80 + 256.80 = 299.60,
#     less 171.20 paid = 128.40
#   run 09-28: E(10-25) = 42.80 + 45 x 42.80/7 + 25 x 46.20/7 = 42.80 + 275.142857
#     + 165.00 = 482.942857 -> 482.94, less 299.60 = 183.34
#   suspended 11-02 to 11-09; run 10-26: E(11-22) = 482.942857 + 7 x 46.20/7
#     + 14 x 46.20/7 = 621.542857 -> 621.54, less 482.94 = 138.60
#   ended 11-16: E = 482.942857 + 46.20 + 46.20 = 575.342857 -> 575.34: 46.20 owed
#     back, received on 11-30
. "$(dirname "$0")/lib.bash"
export PHSG_CONFIG="$root/tests/cli/data/medway-higher.cfg"
setup_payees
x=$(p award create --client X1 --package long-term-support --need maintenance=medium \
	--start 2026-08-03 --method direct --payee P1)
p run --allow-future --date 2026-08-03 >/dev/null
p run --allow-future --date 2026-08-31 >/dev/null
p award reassess "$x" --from 2026-08-17 --need maintenance=high >/dev/null
p run --allow-future --date 2026-09-07 >/dev/null
p run --allow-future --date 2026-09-28 >/dev/null
p award suspend "$x" --from 2026-11-02 --to 2026-11-09 >/dev/null
p run --allow-future --date 2026-10-26 >/dev/null
p award end "$x" --on 2026-11-16 >/dev/null
p recovery receive "$x" --amount 46.20 --on 2026-11-30 >/dev/null
json award explain "$x" --format json
check "every payment, the adjustment and the recovery, in order" \
	"cycle 85.60|cycle 85.60|adjustment 128.40|cycle 183.34|cycle 138.60|recovery -46.20" \
	"$(jqr '[.payments[] | "\(.kind) \(.amount)"] | join("|")')"
python3 "$root/tests/cli/explain_check.py" "$work/json" || exit 1
check "the adjustment names the backdated reassessment" "1" \
	"$(jqr '[.payments[2].reasons[] | select(test("^Since the last payment: event 2, reassess dated 2026-08-17"))] | length')"
check "the text form has the same lines" "$(jqr '[.payments[].reasons[]] | length')" \
	"$(p award explain "$x" | grep -c '^  ')"
check "an unknown award (exit 2)" "2" "$(status award explain A999999)"
