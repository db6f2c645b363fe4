# A ledger from before version 2 opens, is migrated, and pays right.
#
# tests/cli/data/ledger-v1.sql was written by the first-wave phsg (schema 1):
#   A000001 V1 long-term-support, maintenance high: 42.80 a week, 171.20 a cycle, from 2026-04-13
#   A000002 V2 resettlement, intensive low + basic low: 85.60 a week, ended 2026-05-11 (342.40)
#   run 04-13 (batch 1), void 1, run 05-11 (batch 2 paid 04-13 again, and 05-11),
#   run 06-08 (batch 3), batch 3 sent, batch 2 voided.
# The first wave then un-marked batch 2's cycles, so its next run would have paid them
# again as cycles; version 2 keeps every mark and lets the payment rule settle what is owed.
. "$(dirname "$0")/lib.bash"
skip_unless_sqlite   # a first-wave SQLite file migrated
sqlite3 "$PHSG_LEDGER" < tests/cli/data/ledger-v1.sql
chmod 600 "$PHSG_LEDGER"
check "version 1 before" "1" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
json report balances --as-of 2026-07-05 --format json
check "migrated on open" "11" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
# Net paid: A: 171.20 - 171.20 + 171.20 + 171.20 - 171.20 - 171.20 + 171.20 = 171.20; B: 0.00.
check "net paid after the voids" "171.20 0.00" \
	"$(jqr '[.awards[].paid] | join(" ")')"
# The next run, 07-06: A's cycle 07-06 is newly due: round(E(08-03)) - P = 4 x 171.20 - 171.20
# = 513.60 (the two voided cycles within it); B ended: an adjustment of 342.40 on the run date.
json run --allow-future --date 2026-07-06 --format json
check "the voided money paid once" "A000001 cycle 2026-07-06 513.60|A000002 adjustment 2026-04-13 342.40" \
	"$(jqr '[.payments[] | "\(.award) \(.kind) \(.cycle_start) \(.amount)"] | join("|")')"
check "batch 4" "4" "$(jqr .batch)"
json run --allow-future --date 2026-07-06 --format json
check "and nothing twice" "0" "$(jqr '.payments | length')"
# End both where they stand and compare with the entitlement worked by hand:
# A to 08-03: 16 weeks x 42.80 = 684.80; B: 342.40.
p award end A000001 --on 2026-08-03 >/dev/null
json report balances --as-of 2030-01-01 --format json
check "paid equals entitled" "684.80 684.80|342.40 342.40" \
	"$(jqr '[.awards[] | "\(.entitled) \(.paid)"] | join("|")')"
check "events can now be cancelled" "0" "$(status award cancel A000001 2 --reason "test")"
check "the migrated ledger verifies" "ok" "$(p verify)"

# A ledger of version 5 (before ledger/migrations/0006-whole-sums.sql, which changes
# nothing in SQLite but the version) is brought to 11 when opened, and reports the same
# to the penny: balances, the journal and the payments listing, compared whole.
p report balances --as-of 2030-01-01 --format json > "$work/bal-before"
p export --format ledger > "$work/journal-before"
p report payments --from 2026-01-01 --to 2027-01-01 --format csv > "$work/payments-before"
sqlite3 "$PHSG_LEDGER" "DROP TABLE payee_awards; CREATE INDEX payments_payee ON payments(payee, due);
	DROP TABLE award_states; ALTER TABLE award_index DROP COLUMN sums; DROP INDEX payments_batch;
	CREATE INDEX payments_batch ON payments(batch_id);
	CREATE INDEX payments_award ON payments(award_id, component); DROP INDEX payments_not_whole;
	DROP INDEX recoveries_not_whole; DROP INDEX contributions_not_whole;
	ALTER TABLE award_index DROP COLUMN cycles; CREATE INDEX award_index_due ON award_index(next_due);
	DELETE FROM meta WHERE key = 'due_from'; PRAGMA user_version = 5;"
check "version 5 made again" "5" "$(sqlite3 "$PHSG_LEDGER" "PRAGMA user_version")"
p report balances --as-of 2030-01-01 --format json > "$work/bal-after"
check "version 11 after opening" "11" "$(sqlite3 "$PHSG_LEDGER" "PRAGMA user_version")"
cmp -s "$work/bal-before" "$work/bal-after" || { echo "FAILED: balances differ after the migration"; exit 1; }
p export --format ledger | cmp -s - "$work/journal-before" || { echo "FAILED: the journal differs after the migration"; exit 1; }
p report payments --from 2026-01-01 --to 2027-01-01 --format csv | cmp -s - "$work/payments-before" ||
	{ echo "FAILED: the payments listing differs after the migration"; exit 1; }
check "and verifies" "ok" "$(p verify)"

# A ledger of version 6, written by the release before ledger/migrations/0007-payee-awards.sql
# (tests/cli/data/ledger-v6.sh): three payees, one paid by two awards (A000001 moved
# from P1 to P2 from 2026-06-08), batch 2 voided, P1's and then P2's bank details
# changed.  Opened by this phsg, it is brought to 11 and gives, byte for byte, what that
# release printed for it: balances, the journal, the payments listing; then the same
# next run (P2 paid to its new details: the check names it) and its Bacs file, and the
# same refusals of a change dated before a payee's latest payment.
rm -f "$PHSG_LEDGER"
sqlite3 "$PHSG_LEDGER" < tests/cli/data/ledger-v6.sql
chmod 600 "$PHSG_LEDGER"
check "version 6 before" "6" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
p report balances --as-of 2027-01-01 --format json | cmp -s - tests/cli/data/ledger-v6.balances.json ||
	{ echo "FAILED: version 6: balances differ from the release's"; exit 1; }
check "version 11 after opening" "11" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
# the pairs, worked from the recipe: A000001 paid P1 (batches 1-3) and P2 (batch 4),
# A000002 P2, A000003 C1; and the index they replace is gone
check "payee_awards filled from the payments" "C1 3|P1 1|P2 1|P2 2|" \
	"$(sqlite3 -separator ' ' "$PHSG_LEDGER" 'SELECT payee, award_id FROM payee_awards' | tr '\n' '|')"
check "payments_payee dropped" "0" \
	"$(sqlite3 "$PHSG_LEDGER" "SELECT count(*) FROM sqlite_master WHERE name = 'payments_payee'")"
p export --format ledger | cmp -s - tests/cli/data/ledger-v6.journal ||
	{ echo "FAILED: version 6: the journal differs from the release's"; exit 1; }
p report payments --from 2026-01-01 --to 2027-01-01 --format csv | cmp -s - tests/cli/data/ledger-v6.payments.csv ||
	{ echo "FAILED: version 6: the payments listing differs from the release's"; exit 1; }
# P2 was last paid 2026-06-08 (batch 4: A000001 and A000002), found through both awards
check "a change before P2's latest payment (exit 1)" "1" \
	"$(status payee update P2 --sort-code 200001 --account 11110001 --from 2026-06-07)"
check "refused as the release refused it" "phsg: error: a change of bank details from 2026-06-07 is before the due date of payee P2's latest posted payment (2026-06-08): a payment's details are fixed when it is posted, so the change can take effect from 2026-06-08 at the earliest" \
	"$(cat "$work/err")"
p run --allow-future --date 2026-07-06 --format json |
	cmp -s - tests/cli/data/ledger-v6.run5.json || { echo "FAILED: version 6: the next run differs"; exit 1; }
p batch export 5 --format bacs --processing-date 2026-07-06 | cmp -s - tests/cli/data/ledger-v6.batch5.bacs ||
	{ echo "FAILED: version 6: the next batch's Bacs file differs"; exit 1; }
# Version 8 keeps each award as its events built it (award_states): none came with
# the migration; the run above, the first under this phsg, rebuilt all three awards
# and kept them.  Reports read them: the same to the byte with them as with none
# kept (each award then replayed from its events).
check "states kept by the run" "3 3" "$(sqlite3 -separator ' ' "$PHSG_LEDGER" \
	"SELECT count(*), (SELECT count(*) FROM award_states) FROM award_index WHERE dirty = 0")"
p report balances --as-of 2027-01-01 --format json > "$work/bal-kept"
p award list --format csv > "$work/list-kept"
sqlite3 "$PHSG_LEDGER" "DELETE FROM award_states"
p report balances --as-of 2027-01-01 --format json | cmp -s - "$work/bal-kept" ||
	{ echo "FAILED: balances differ with the kept states"; exit 1; }
p award list --format csv | cmp -s - "$work/list-kept" ||
	{ echo "FAILED: the award list differs with the kept states"; exit 1; }
check "C1 was last paid 2026-07-06 (exit 1)" "1" \
	"$(status payee update C1 --card 5555000011113333 --from 2026-06-07)"
check "refused with that date" "phsg: error: a change of bank details from 2026-06-07 is before the due date of payee C1's latest posted payment (2026-07-06): a payment's details are fixed when it is posted, so the change can take effect from 2026-07-06 at the earliest" \
	"$(cat "$work/err")"
check "the upgraded ledger verifies" "ok" "$(p verify)"

# A ledger of version 8, written by the release before ledger/migrations/0009-run-sums.sql,
# made again from this one by undoing 0010 and 0009: award_index without its sums or
# cycles, payments indexed by award, no index of the amounts that are not whole.  Opened by
# this phsg it is brought to 11 with no sums or cycles kept, and reports the same to the
# byte.  Its next run reads every award's rows and processed marks; a copy taken before the
# undoing reads the sums and cycles the run of 2026-07-06 kept.  The two runs pay the same,
# byte for byte, and leave the same sums and cycles kept.
sqlite3 "$PHSG_LEDGER" "VACUUM INTO '$work/kept.db'"
chmod 600 "$work/kept.db"
check "the copy keeps every award's sums" "3" "$(sqlite3 "$work/kept.db" 'SELECT count(sums) FROM award_index')"
check "and their cycles" "3" "$(sqlite3 "$work/kept.db" 'SELECT count(cycles) FROM award_index')"
p report balances --as-of 2027-01-01 --format json > "$work/bal-now"
p export --format ledger > "$work/journal-now"
sqlite3 "$PHSG_LEDGER" "ALTER TABLE award_index DROP COLUMN cycles;
	ALTER TABLE award_index DROP COLUMN sums; DROP INDEX payments_batch;
	CREATE INDEX payments_batch ON payments(batch_id);
	CREATE INDEX payments_award ON payments(award_id, component, due, amount);
	DROP INDEX payments_not_whole; DROP INDEX recoveries_not_whole;
	DROP INDEX contributions_not_whole; CREATE INDEX award_index_due ON award_index(next_due);
	DELETE FROM meta WHERE key = 'due_from'; PRAGMA user_version = 8;"
check "version 8 made again" "8" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
p report balances --as-of 2027-01-01 --format json | cmp -s - "$work/bal-now" ||
	{ echo "FAILED: version 8: balances differ after the migration"; exit 1; }
check "version 11 after opening" "11" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
check "no sums or cycles kept by the migrations" "0 0" \
	"$(sqlite3 "$PHSG_LEDGER" 'SELECT count(sums) || " " || count(cycles) FROM award_index')"
p export --format ledger | cmp -s - "$work/journal-now" ||
	{ echo "FAILED: version 8: the journal differs after the migration"; exit 1; }
p run --allow-future --date 2026-08-03 --format json > "$work/run-rows"
p --ledger "$work/kept.db" run --allow-future --date 2026-08-03 --format json > "$work/run-kept"
cmp -s "$work/run-rows" "$work/run-kept" ||
	{ echo "FAILED: the run from the kept sums differs from the run from the rows"; exit 1; }
# the cycle from 2026-08-03: A000001 maintenance high, 4 x 42.80 = 171.20; A000003 medium,
# 4 x 21.40 = 85.60; A000002's three months ended on 2026-07-12, and the run of 2026-07-06
# paid it to then (278.20 in all): nothing is due
check "the run of 2026-08-03" "A000001 171.20|A000003 85.60|256.80" \
	"$(jq -r '[.payments[] | "\(.award) \(.amount)"] + [.total] | join("|")' "$work/run-rows")"
# what each paid award has had, kept by both: A000001 five cycles of 171.20 = 856.00,
# A000003 five of 85.60 = 428.00 (A000002, not read by either run, keeps what it had)
check "the same sums kept by both" "1|ras=85600,0 (through)=2026-08-03 3|ras=42800,0 (through)=2026-08-03" \
	"$(sqlite3 "$work/kept.db" 'SELECT award_id, sums FROM award_index WHERE award_id <> 2' | tr '\n' ' ' | sed 's/ $//')"
check "the same sums kept by both (rows)" "1|ras=85600,0 (through)=2026-08-03 3|ras=42800,0 (through)=2026-08-03" \
	"$(sqlite3 "$PHSG_LEDGER" 'SELECT award_id, sums FROM award_index WHERE award_id <> 2' | tr '\n' ' ' | sed 's/ $//')"
# and the cycles both runs processed for them: the cycle from 2026-04-13 is cycle 196 (5,488
# days, 196 x 28, after the scheme's anchor, 2011-04-04), from 2026-08-03 cycle 200
check "the same cycles kept by both" "1|ras=196-200 3|ras=196-200" \
	"$(sqlite3 "$work/kept.db" 'SELECT award_id, cycles FROM award_index WHERE award_id <> 2' | tr '\n' ' ' | sed 's/ $//')"
check "the same cycles kept by both (marks)" "1|ras=196-200 3|ras=196-200" \
	"$(sqlite3 "$PHSG_LEDGER" 'SELECT award_id, cycles FROM award_index WHERE award_id <> 2' | tr '\n' ' ' | sed 's/ $//')"
check "the migrated ledger verifies after its run" "ok" "$(p verify)"

# Version 11 (ledger/migrations/0011-run-writes.sql): a payment a run writes leaves who
# wrote it and when to its batch.  The release's runs (batches 1 to 4, with batch 2's
# reversals) wrote both on every payment, and keep them; this phsg's runs of 2026-07-06
# (batch 5: three payments, ledger-v6.run5.json) and 2026-08-03 (batch 6: A000001 and
# A000003) wrote '' for both on each of their 3 + 2 = 5.
check "the release's payments keep who and when" "0" \
	"$(sqlite3 "$PHSG_LEDGER" "SELECT count(*) FROM payments WHERE batch_id <= 4 AND (created_at = '' OR operator = '')")"
check "this phsg's runs leave both to the batch" "5 5" \
	"$(sqlite3 -separator ' ' "$PHSG_LEDGER" "SELECT count(*), sum(created_at = '' AND operator = '') FROM payments WHERE batch_id >= 5")"
# A ledger of version 10 (made again from this one: the run's index by due date back, and
# no earliest due date noted) is brought to 11 when opened: the index goes, no row
# changes, and it reports the same to the byte; its payments of both kinds verify (each
# is checked against the award as known when it was written: its own time, or its
# batch's)
p report balances --as-of 2027-01-01 --format json > "$work/bal-v11"
p export --format ledger > "$work/journal-v11"
sqlite3 "$PHSG_LEDGER" "CREATE INDEX award_index_due ON award_index(next_due);
	DELETE FROM meta WHERE key = 'due_from'; PRAGMA user_version = 10"
p report balances --as-of 2027-01-01 --format json | cmp -s - "$work/bal-v11" ||
	{ echo "FAILED: version 10: balances differ after the migration"; exit 1; }
check "version 11 after opening a version 10 ledger" "11" "$(sqlite3 "$PHSG_LEDGER" 'PRAGMA user_version')"
p export --format ledger | cmp -s - "$work/journal-v11" ||
	{ echo "FAILED: version 10: the journal differs after the migration"; exit 1; }
check "the index by due date dropped" "0" \
	"$(sqlite3 "$PHSG_LEDGER" "SELECT count(*) FROM sqlite_master WHERE name = 'award_index_due'")"
check "and verifies" "ok" "$(p verify)"
# Nothing noted until a run: the run of 2026-08-03 again reads the index, pays nothing, and
# notes the earliest next due date.  A000001 and A000003 are paid through the cycle from
# 2026-08-03; the next starts 08-31, and with lead_days 0 the payment rule looks from a
# week before it, 08-24.  A000002 ended: nothing more is due.
check "nothing noted after the migration" "" \
	"$(sqlite3 "$PHSG_LEDGER" "SELECT value FROM meta WHERE key = 'due_from'")"
check "the run of 2026-08-03 again pays nothing" "0" \
	"$(p run --allow-future --date 2026-08-03 --format json | jq '.payments | length')"
check "and notes the earliest due" "2026-08-24" \
	"$(sqlite3 "$PHSG_LEDGER" "SELECT value FROM meta WHERE key = 'due_from'")"
check "which verifies" "ok" "$(p verify)"
