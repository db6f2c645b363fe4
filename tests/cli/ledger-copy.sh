# SPEC section 14: phsg ledger copy, from the demo's SQLite ledger into
# PostgreSQL and back into a new SQLite file: every report of the three is
# the same, byte for byte.  Needs the throwaway cluster (make check runs the
# suite inside tools/pgtest); skipped (77) without one.
. "$(dirname "$0")/lib.bash"
[ -n "${PHSG_PGTEST:-}" ] || exit 77
PHSG_DEMO_DIR="$work/demo" "$root/tools/demo" "$PHSG" >/dev/null 2>"$work/demo.err" ||
	{ echo "FAILED: the demo"; tail "$work/demo.err"; exit 1; }
pilot="$work/demo/phsg.db"
server=$("$PHSG_PGTEST" newdb)
back="$work/back.db"
p ledger copy "$pilot" "$server" > "$work/copy1"
check "into PostgreSQL: verified" "verified: ok" "$(tail -1 "$work/copy1")"
p ledger copy "$server" "$back" > "$work/copy2"
check "and back: verified" "verified: ok" "$(tail -1 "$work/copy2")"
check "the same rows both ways" "$(head -1 "$work/copy1" | cut -d' ' -f2)" "$(head -1 "$work/copy2" | cut -d' ' -f2)"

# every report, list and export, as text and JSON, from each of the three
reports() {
	local l=$1
	{
		for r in balances recoveries commitments contributions; do
			for f in text json csv; do p --ledger "$l" report $r --as-of 2027-06-30 --format $f; done
		done
		p --ledger "$l" report payments --from 2025-01-01 --to 2028-01-01 --format json
		p --ledger "$l" report reviews --as-of 2027-06-30 --format json
		for f in ledger csv json; do p --ledger "$l" export --format $f; done
		p --ledger "$l" batch list --format json
		for b in $(p --ledger "$l" batch list --format json | jq -r '.batches[].batch'); do
			p --ledger "$l" batch show "$b" --format json
		done
		for a in $(p --ledger "$l" award list --format json | jq -r '.awards[].award'); do
			p --ledger "$l" award show "$a" --format json
		done
		p --ledger "$l" payee list
		p --ledger "$l" verify
	} 2>&1
}
reports "$pilot" > "$work/pilot.txt"
reports "$server" > "$work/server.txt"
reports "$back" > "$work/back.txt"
check "the reports are long enough to mean something" "yes" "$([ "$(wc -l < "$work/pilot.txt")" -gt 500 ] && echo yes || echo no)"
check "PostgreSQL's reports equal the pilot's" "" "$(diff "$work/pilot.txt" "$work/server.txt" | head -5)"
check "the copy back's reports equal the pilot's" "" "$(diff "$work/pilot.txt" "$work/back.txt" | head -5)"
check "a second copy into the server is refused (exit 1)" "1" "$(status ledger copy "$pilot" "$server")"
grep -q "is not empty" "$work/err" || { echo "FAILED: message"; cat "$work/err"; exit 1; }
