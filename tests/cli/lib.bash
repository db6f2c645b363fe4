# tests/cli/lib.bash - helpers for the end-to-end ledger scripts.
#
# Each script sources this, gets a fresh ledger in a temporary folder, and
# states its expectations with `check`; the first failed check ends the
# script with a message naming it.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 2
work=$(mktemp -d)

# A ledger phsg wrote is sound, whatever a script did with it through phsg:
# so when a script has passed, each ledger it used through `p` (below) must
# pass `phsg verify` (SPEC section 10) under the scheme it last used it
# with.  That catches a command that leaves a ledger inconsistent, and a
# verify check that faults a sound ledger.  A script that damages a ledger
# on purpose says so with `left_damaged LEDGER` (or `left_damaged` alone,
# for all it used).  The list is kept outside $work, which some scripts
# check is empty.
verify_at_exit=1
ledgers_used=$(mktemp)
left_damaged() {
	if [ $# = 0 ]; then verify_at_exit=0; else echo "$1|damaged" >>"$ledgers_used"; fi
}
# ledger_left LEDGER : is there a ledger there? (a script about files that are none may use one)
ledger_left() {
	case $backend:$1 in
	postgresql:postgres://* | postgresql:postgresql://*) [ "$(is_ledger "$1")" = present ] ;;
	postgresql:*) false ;;
	*) [ -s "$1" ] ;;
	esac
}
# verify_left LEDGER CONFIG : nothing when the ledger verifies (or is none), else why
verify_left() {
	local out
	ledger_left "$1" || return 0
	out=$(PHSG_LEDGER=$1 PHSG_CONFIG=$2 "$PHSG" --operator tester verify 2>&1)
	[ "$out" = ok ] || { echo "FAILED: the ledger $1 does not verify:"; echo "$out" | head -5; }
}
at_exit() {
	local rc=$? bad="" where cfg
	if [ "$rc" = 0 ] && [ "$verify_at_exit" = 1 ]; then
		# each ledger once, in the order first used, with the scheme of its
		# last use; one damaged on purpose not at all
		while [ -z "$bad" ] && IFS='|' read -r where cfg; do
			bad=$(verify_left "$where" "$cfg")
		done < <(awk -F'|' '!seen[$1]++ { order[n++] = $1 }
			$2 == "damaged" { damaged[$1] = 1 } $2 != "damaged" { cfg[$1] = $2 }
			END { for (i = 0; i < n; i++) if (!(order[i] in damaged)) print order[i] "|" cfg[order[i]] }' \
			"$ledgers_used")
		[ -z "$bad" ] || { echo "$bad"; rc=1; }
	fi
	rm -rf "$work" "$ledgers_used"
	exit "$rc"
}
trap at_exit EXIT

# The backend the suite runs on (SPEC section 14): sqlite, or postgresql
# inside `tools/pgtest run`, which makes a fresh database for each ledger.
backend=${PHSG_TEST_BACKEND:-sqlite}

# new_ledger NAME : where a new, empty ledger goes (a file in $work, or a
# new PostgreSQL database)
new_ledger() {
	if [ "$backend" = postgresql ]; then
		"$PHSG_PGTEST" newdb
	else
		echo "$work/$1.db"
	fi
}

# sql_on LEDGER SQL : change a ledger behind phsg's back (to damage it)
sql_on() {
	if [ "$backend" = postgresql ]; then
		psql -X -q -v ON_ERROR_STOP=1 -d "$1" -c "$2" >/dev/null
	else
		sqlite3 "$1" "$2"
	fi
}

# sql_read LEDGER SQL : rows of a query, columns joined by '|' (either backend)
sql_read() {
	if [ "$backend" = postgresql ]; then
		psql -X -q -tA -d "$1" -c "$2"
	else
		sqlite3 "$1" "$2"
	fi
}

# is_ledger LEDGER : "present" when anything of a ledger is there, else "absent"
is_ledger() {
	if [ "$backend" = postgresql ]; then
		[ "$(psql -X -tA -d "$1" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] &&
			echo absent || echo present
	else
		[ -e "$1" ] && echo present || echo absent
	fi
}

# fingerprint : the ledger's bytes (SQLite), or every row of it (PostgreSQL,
# whose files are the server's)
fingerprint() {
	if [ "$backend" = postgresql ]; then snapshot; else sha256sum <"$PHSG_LEDGER"; fi
}

# sqlite_only : the rest of this script is about SQLite's files.  Marked in
# the transcript (tools/transcript-phsg), where two backends' runs are
# compared up to the mark.
sqlite_only() {
	[ -n "${PHSG_TRANSCRIPT_FILE:-}" ] && echo "== the rest is about SQLite files" >>"$PHSG_TRANSCRIPT_FILE"
	[ "$backend" = sqlite ] || exit 0
}

# skip_unless_sqlite : the whole script is about SQLite's files: skipped
# (exit 77, which tests/cli/run counts as skipped) on another backend
skip_unless_sqlite() { [ "$backend" = sqlite ] || exit 77; }

PHSG_LEDGER=$(new_ledger ledger) || { echo "FAILED: no ledger to test on"; exit 1; }
export PHSG_LEDGER
export PHSG_CONFIG="$root/config/medway.cfg"
unset PHSG_OPERATOR

# p ARGS... : phsg as the tester, on $PHSG_LEDGER (noted for the check at the end)
p() {
	echo "$PHSG_LEDGER|${PHSG_CONFIG:-}" >>"$ledgers_used"
	"$PHSG" --operator tester "$@"
}

# check WHAT EXPECTED ACTUAL
check() {
	if [ "$2" != "$3" ]; then
		echo "FAILED: $1"
		echo "  expected: $2"
		echo "  actual:   $3"
		exit 1
	fi
}

# status CMD... : the exit status of a phsg command (its output discarded)
status() {
	p "$@" >"$work/out" 2>"$work/err"
	echo $?
}

# jqr FILTER : a jq filter over the last JSON printed by `json`
json() { p "$@" >"$work/json" 2>"$work/err" || { echo "FAILED: phsg $*"; cat "$work/err"; exit 1; }; }
jqr() { jq -r "$1" "$work/json"; }

# the ledger's content (payments, events, recoveries), for "nothing changed"
snapshot() {
	if [ "$backend" = postgresql ]; then
		# every row of every table, in a defined order (pg_dump's follows storage)
		psql -X -tA -d "$PHSG_LEDGER" -c "SELECT tablename FROM pg_tables WHERE schemaname =
			'public' AND tablename <> 'award_index' ORDER BY 1" | while read -r table; do
			echo "== $table"
			psql -X -tA -d "$PHSG_LEDGER" -c "SELECT x::text FROM $table x ORDER BY 1"
		done | sha256sum
	else
		# -a: a forged ledger may hold bytes that are not UTF-8 (hostile.sh), where grep
		# would stop, with "binary file matches", and hash only the rows before them
		sqlite3 "$PHSG_LEDGER" .dump | grep -av '^INSERT INTO award_index' | sha256sum
	fi
}

setup_payees() {
	p payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 12345678 >/dev/null
	p payee add P2 --name "Homes & Hope Ltd" --sort-code 309876 --account 87654321 >/dev/null
	p payee add C1 --name "Card Holder" --card 5555000011112222 >/dev/null
}
