# SPEC section 12: what comes in cannot forge, subvert or block what goes out.
. "$(dirname "$0")/lib.bash"
setup_payees
nl=$'P9\n2026-01-01 * forged\n    Expenses:Grants:x  £1000000.00\n    Assets:Bank'
before=$(snapshot)
check "a payee reference with a newline (exit 2)" "2" "$(status payee add "$nl" --name X --sort-code 401234 --account 12345678)"
grep -q "is not a reference" "$work/err" || { echo "FAILED: reference message"; cat "$work/err"; exit 1; }
check "a formula as a reference (exit 2)" "2" "$(status payee add '=HYPERLINK("http://x")' --name X --sort-code 401234 --account 12345678)"
check "a reference of 33 characters (exit 2)" "2" "$(status payee add ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456 --name X --sort-code 401234 --account 12345678)"
check "a reference starting with a dot (exit 2)" "2" "$(status payee add .P9 --name X --sort-code 401234 --account 12345678)"
check "a name with a control character (exit 2)" "2" "$(status payee add P9 --name $'Jo\tBloggs' --sort-code 401234 --account 12345678)"
check "a name of invalid UTF-8 (exit 2)" "2" "$(status payee add P9 --name $'Jo \xff' --sort-code 401234 --account 12345678)"
check "a name of 101 characters (exit 2)" "2" "$(status payee add P9 --name "$(printf 'x%.0s' $(seq 101))" --sort-code 401234 --account 12345678)"
check "a client with a comma (exit 2)" "2" "$(status award create --client 'C, 1' --package housing-options \
	--need basic=low --start 2026-04-13 --method direct --payee P1)"
check "nothing written" "$before" "$(snapshot)"
check "a 32-character reference and a 100-character name" "0" "$(status payee add \
	ABCDEFGHIJKLMNOPQRSTUVWXYZ012345 --name "$(printf 'é%.0s' $(seq 100))" --sort-code 401234 --account 12345678)"

# A payee name a spreadsheet would run: written with a leading ' in every CSV.
p payee add P8 --name '=HYPERLINK("http://evil/","Click")' --sort-code 401234 --account 87654321 >/dev/null
p payee add P7 --name '-2+3' --sort-code 401234 --account 11223344 >/dev/null
a=$(p award create --client H1 --package resettlement --need intensive=low --need basic=low \
	--start 2026-04-13 --method provider --payee P8)
c=$(p award create --client H2 --package housing-options --need basic=low --start 2026-04-13 \
	--method direct --payee P7)
p run --allow-future --date 2026-04-13 >/dev/null
p batch remittance 1 --format csv > "$work/rem.csv"
python3 - "$work/rem.csv" <<'PY' || { echo "FAILED: remittance CSV cells"; cat "$work/rem.csv"; exit 1; }
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
names = {r["name"] for r in rows}
assert names == {"'=HYPERLINK(\"http://evil/\",\"Click\")", "'-2+3"}, names
for r in rows:
    assert not r["amount"].startswith("'"), r   # numbers are never prefixed
PY
# Negative amounts stay numbers: a void writes -342.40 rows into the journal CSV.
p batch void 1 >/dev/null
p export --format csv > "$work/j.csv"
check "a negative amount is not prefixed" "1" "$(grep -c ',"-342.40",' "$work/j.csv")"

# A ledger written before references were checked: a payee with a newline in it, put
# there behind its back (sqlite3 or psql).  The journal cannot be forged by it: hledger's balance
# of Expenses:Grants is still phsg's net paid.
p run --allow-future --date 2026-05-11 >/dev/null
forged=$'P8\t\e[2K\x7f\u0085\u2028\\\r\n2026-01-01 * forged\n    Expenses:Grants:x  £1000000.00\n    Assets:Bank'
sql_on "$PHSG_LEDGER" "UPDATE payments SET payee = '$forged' WHERE id = (SELECT max(id) FROM payments);"
p export --format ledger > "$work/all.journal"
hledger -f "$work/all.journal" check >/dev/null 2>"$work/err" || { echo "FAILED: hledger check"; cat "$work/err"; exit 1; }
json report balances --as-of 2030-01-01 --format json
check "no forged posting" "$(jqr .paid)" "$(hledger -f "$work/all.journal" bal ^Expenses:Grants | tail -1 | tr -d ' £')"
check "no account but the grants and the bank" "Assets:Bank Expenses:Grants:housing-options Expenses:Grants:resettlement" \
	"$(hledger -f "$work/all.journal" accounts --used | tr '\n' ' ' | sed 's/ $//')"
# `phsg verify` finds the forged payee twice: a stored text with a control character in
# it (the first, a tab, is character 3), and a payee the award is not listed as paying.
# Each fault is one line: the control characters (C0, DEL, C1), the line separator and
# the backslash are shown as \t, \x1B, \x7F, \u0085, \u2028, \\, \r and \n, so they cannot
# add a line that looks like another fault, or like "ok", nor clear the line on a
# terminal (ESC [2K).
check "verify finds the forged payee (exit 3)" "3" "$(status verify)"
check "its faults, a line each" "fault: payment 6, column payee: its text holds a control character (U+0009, character 3): not allowed
fault: payment 6 (award A000002) pays P8\t\x1B[2K\x7F\u0085\u2028\\\\\r\n2026-01-01 * forged\n    Expenses:Grants:x  £1000000.00\n    Assets:Bank, but payee_awards does not list the award as paying it: that payee's payments would be read without it" \
	"$(cat "$work/out")"
check "and one line of error" "phsg: error: ledger '$PHSG_LEDGER': 2 faults found" "$(cat "$work/err")"
left_damaged
# The text reports show such text escaped the same way, a line each, so a forged reference
# cannot add a payment line to a batch or a report, nor a payee's name a line to the
# remittance advice a provider is sent.  Text phsg could have written is shown as it is
# (P8's payment, the other payee names).  A sort code that is not six digits is shown
# whole, escaped, not cut into 12-34-56; an account's last four characters, escaped.
evil=$'Evil\nTo: P1\e[2K'
code=$'\e[2K12'
account=$'1234\e[21'
sql_on "$PHSG_LEDGER" "UPDATE payees SET name = '$evil', sort_code = '$code', account = '$account'
	WHERE ref = 'P8';"
shown='P8\t\x1B[2K\x7F\u0085\u2028\\\r\n2026-01-01 * forged\n    Expenses:Grants:x  £1000000.00\n    Assets:Bank'
check "batch show, the forged payee on one line" "Batch 2: run for 2026-05-11, posted, not yet sent (by tester at TIME)
  #5      A000001  H1           ras        cycle      2026-05-11 to 2026-06-07 due 2026-05-11      £684.80 to P8 (provider)
  #6      A000002  H2           ras        cycle      2026-05-11 to 2026-06-07 due 2026-05-11      £171.20 to $shown (direct)
  Total: £856.00" "$(p batch show 2 | sed 's/(by tester at [0-9T:.Z-]*)/(by tester at TIME)/')"
check "report payments, the same" "Payments due 2026-05-01 to 2026-05-31
  2026-05-11 A000001  H1           ras        cycle      2026-05-11 to 2026-06-07       £684.80 to P8 (batch 2)
  2026-05-11 A000002  H2           ras        cycle      2026-05-11 to 2026-06-07       £171.20 to $shown (batch 2)
By package:
  housing-options                        £171.20
  resettlement                           £684.80
By payee:
  P8                                     £684.80
  $shown       £171.20
Total: £856.00 (2 payments)" "$(p report payments --from 2026-05-01 --to 2026-06-01)"
# batch 1 was voided, so batch 2 pays P8 the cycle before too: 342.40 a cycle, 684.80 paid
check "the remittance advice, its name and sort code escaped" "REMITTANCE ADVICE
Medway PHSG

To: Evil\nTo: P1\x1B[2K (P8)
Paid to: sort code \x1B[2K12, account ending \x1B[21
Payment batch 2, run on 2026-05-11

Award    Client       Component  For the days             Due         Cycle share         Paid
A000001  H1           ras        2026-05-11 to 06-07      2026-05-11       342.40       684.80
         includes £342.40 for changes dated before this period

Total paid: £684.80
"$'\f' "$(p batch remittance 2 --payee P8)"
check "payee show" 'Payee P8: Evil\nTo: P1\x1B[2K
  Paid today to: ****\x1B[21
History:
  when added         bank \x1B[2K12 ****\x1B[21' "$(p payee show P8)"
# A client forged the same way: the award, the balances, the award list and the run's
# listing each show it on its own row, escaped.  (A000002's entitlement as of 2026-05-31:
# 2026-04-13 to 2026-05-31 is 49 days, 7 weeks at 21.40 = 149.80; A000001's 7 x 85.60.)
sql_on "$PHSG_LEDGER" "UPDATE awards SET client = '$code' WHERE ref = 'A000002';"
check "award show" "Award A000002 for \x1B[2K12: housing-options
  Runs 2026-04-13 to 2026-07-12; active on 2026-05-11
  Entitled to date: £88.66   Paid (net of recoveries): £171.20   Balance: -£82.54
Components:
  ras              £21.40 a week  to P7           direct   entitled       £88.66  paid      £171.20
Events:
   1. created from 2026-04-13: housing-options basic low; paid to P7 (direct)  (by tester, DAY)
Payments and money received back:
  ras        cycle      2026-04-13 to 2026-05-10, due 2026-04-13       £85.60 to P7 (direct), batch 1
  ras        reversal   2026-04-13 to 2026-05-10, due 2026-04-13      -£85.60 to P7 (direct), batch 1
  ras        cycle      2026-05-11 to 2026-06-07, due 2026-05-11      £171.20 to $shown (direct), batch 2" \
	"$(p award show A000002 --as-of 2026-05-11 | sed 's/(by tester, [0-9-]*)/(by tester, DAY)/')"
check "report balances" "Balances as of 2026-05-31 (entitlement accrued through that day)
  Award    Client         Package                      Entitled         Paid      Balance
  A000001  H1             resettlement                  £599.20      £684.80      -£85.60
  A000002  \x1B[2K12      housing-options               £149.80      £171.20      -£21.40
  Total                                                 £749.00      £856.00     -£107.00" \
	"$(p report balances --as-of 2026-05-31)"
check "award list" "Award    Client           Package                  Status      Runs                     Payee
A000001  H1               resettlement             ended       2026-04-13 to 2026-10-12 P8
A000002  \x1B[2K12        housing-options          ended       2026-04-13 to 2026-07-12 P7" "$(p award list)"
check "the run's listing" "Payment run for 2026-06-08: batch 3, 2 payments, total £428.00
  A000001  H1           ras        cycle      2026-06-08 to 2026-07-05 due 2026-06-08      £342.40 to P8 (provider)
  A000002  \x1B[2K12    ras        cycle      2026-06-08 to 2026-07-05 due 2026-06-08       £85.60 to P7 (direct)" \
	"$(p run --allow-future --date 2026-06-08 --list --dry-run 2>/dev/null)"
# and a message that names what it was given: a package with ESC [2K in it
check "a package with a control character (exit 2)" "2" "$(status award create --client H3 \
	--package $'x\e[2K' --need basic=low --start 2026-04-13 --method direct --payee P1)"
check "its message, escaped" "phsg: error: unknown package 'x\x1B[2K' in $PHSG_CONFIG" "$(cat "$work/err")"
# A FIFO as a scheme file is refused at once, never waited on.
mkfifo "$work/fifo.cfg"
check "a FIFO as the scheme (exit 2)" "2" "$(timeout 10 "$PHSG" check-config "$work/fifo.cfg" >/dev/null 2>&1; echo $?)"

# A caseload's cells are named in messages escaped too: an unknown column and a package
# holding ESC [2K cannot clear the line they are named on.
printf 'client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee,x\033[2Ky\nM-1,acquiring-independence,,,,,high,medium,low,2026-04-06,,direct,P1,1\nM-2,nope\033[2K,,,,,high,medium,low,2026-04-06,,direct,P1,1\n' \
	> "$work/esc.csv"
check "scenario: the row is left out (exit 0)" "0" "$(p scenario --caseload "$work/esc.csv" >/dev/null 2>"$work/err"; echo $?)"
check "scenario: its messages, escaped" "phsg: $work/esc.csv: line 1: column 'x\x1B[2Ky' is not known to any scenario: ignored
phsg: $work/esc.csv: line 3: left out: unknown package 'nope\x1B[2K'
phsg: $work/esc.csv: 1 row left out of the totals" "$(cat "$work/err")"
before=$(snapshot)
check "award import: refused (exit 2)" "2" "$(status award import "$work/esc.csv")"
check "award import: its messages, escaped" "phsg: error: $work/esc.csv: line 1: unknown column 'x\x1B[2Ky' (the columns are those of SPEC section 8, the scheme's interventions, allow_overlap, paid_to, extended_months, social_care and component_payees)
phsg: error: $work/esc.csv: 1 row refused; nothing was imported" "$(cat "$work/err")"
check "and nothing written" "$before" "$(snapshot)"
