# tests/cli/lib.bash - helpers for the end-to-end ledger scripts.
#
# Each script sources this, gets a fresh ledger in a temporary folder, and
# states its expectations with `check`; the first failed check ends the
# script with a message naming it.
set -u
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root" || exit 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PHSG_LEDGER="$work/ledger.db"
export PHSG_CONFIG="$root/config/medway.cfg"
unset PHSG_OPERATOR

p() { "$PHSG" --operator tester "$@"; }

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
snapshot() { sqlite3 "$PHSG_LEDGER" .dump | grep -v '^INSERT INTO award_index' | sha256sum; }

setup_payees() {
	p payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 12345678 >/dev/null
	p payee add P2 --name "Homes & Hope Ltd" --sort-code 309876 --account 87654321 >/dev/null
	p payee add C1 --name "Card Holder" --card 5555000011112222 >/dev/null
}
