# SPEC section 12: a ledger is untrusted input.  Text in it that is not UTF-8 (an SQLite
# ledger holds any bytes; PostgreSQL refuses them, so this runs on SQLite only) is shown
# escaped, as \xNN, never left out.  JSON cannot carry such bytes, and jansson's
# json_string() gives no value for them: the payee of a payment was missing from the
# batch, and from the payments report's totals by payee.
. "$(dirname "$0")/lib.bash"
skip_unless_sqlite   # bytes PostgreSQL's text refuses
setup_payees
a=$(p award create --client H1 --package housing-options --need basic=low --start 2026-04-13 \
	--method direct --payee P1)
b=$(p award create --client H2 --package housing-options --need basic=low --start 2026-04-13 \
	--method direct --payee P2)
p run --allow-future --date 2026-04-13 >/dev/null
sqlite3 "$PHSG_LEDGER" "UPDATE payments SET payee = 'P1' || CAST(X'FF' AS TEXT) WHERE id = 1;"
json batch show 1 --format json
check "JSON: the payee, escaped" 'P1\xFF P2' "$(jqr '[.payments[].payee] | join(" ")')"
json report payments --from 2026-04-01 --to 2026-05-01 --format json
# 4 weeks at 21.40 a week: 85.60 each
check "JSON: a key of by_payee too, beside the other" '{"P1\\xFF":"85.60","P2":"85.60"}' \
	"$(jq -c .by_payee "$work/json")"
check "text: the same" "Batch 1: run for 2026-04-13, posted, not yet sent (by tester at TIME)
  #1      $a  H1           ras        cycle      2026-04-13 to 2026-05-10 due 2026-04-13       £85.60 to P1\xFF (direct)
  #2      $b  H2           ras        cycle      2026-04-13 to 2026-05-10 due 2026-04-13       £85.60 to P2 (direct)
  Total: £171.20" "$(p batch show 1 | sed 's/(by tester at [0-9T:.Z-]*)/(by tester at TIME)/')"
check "verify names it (exit 3)" "3" "$(status verify)"
check "each fault a line, escaped" "fault: payment 1, column payee: its text is not valid UTF-8 (byte 3)
fault: payment 1 (award $a) pays P1\xFF, but payee_awards does not list the award as paying it: that payee's payments would be read without it" \
	"$(cat "$work/out")"
left_damaged
