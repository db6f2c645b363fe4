# SPEC section 12, ledger paths: a new path or a phsg ledger only, and reports on a
# ledger the user may only read.
. "$(dirname "$0")/lib.bash"
skip_unless_sqlite   # paths, modes and read-only folders of ledger files
addp() { p "$@" payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 12345678; }
: > "$work/empty.db"
check "an existing empty file (exit 3)" "3" "$(status --ledger "$work/empty.db" payee add P1 \
	--name X --sort-code 401234 --account 12345678)"
grep -q "exists but is empty: not a phsg ledger" "$work/err" || { echo "FAILED: empty message"; cat "$work/err"; exit 1; }
check "the empty file is untouched" "0" "$(stat -c %s "$work/empty.db")"
check ":memory: (exit 3)" "3" "$(status --ledger :memory: payee add P1 --name X --sort-code 401234 --account 12345678)"
check "a file: URI (exit 3)" "3" "$(status --ledger "file:$work/u.db?mode=memory" payee add P1 --name X \
	--sort-code 401234 --account 12345678)"
check "no file made for the URI" "" "$(ls "$work" | grep -v -x -e empty.db -e out -e err)"
# postgresql:// and postgres:// both name a PostgreSQL ledger (SPEC section 14), never a
# file: a password in either is refused before any connection, and no file is made
for scheme in postgresql postgres; do
	check "a $scheme:// URI with a password (exit 3)" "3" "$(status --ledger "$scheme://me:s3cret@localhost/ledger" payee list)"
	check "refused as a PostgreSQL ledger's URI" "phsg: error: the ledger's URI holds a password: give it in ~/.pgpass (or the file PGPASSFILE names), never on the command line" \
		"$(cat "$work/err")"
done
check "no file made for either" "" "$(ls "$work" | grep -v -x -e empty.db -e out -e err)"
check "an empty --ledger (exit 3)" "3" "$(status --ledger "" payee add P1 --name X --sort-code 401234 --account 12345678)"
sqlite3 "$work/other.db" "CREATE TABLE t(x);"
check "another program's database (exit 3)" "3" "$(status --ledger "$work/other.db" payee add P1 --name X \
	--sort-code 401234 --account 12345678)"
sqlite3 "$work/bare.db" "PRAGMA user_version = 0; VACUUM;"
check "an SQLite file with no tables that phsg did not make (exit 3)" "3" "$(status --ledger "$work/bare.db" \
	payee add P1 --name X --sort-code 401234 --account 12345678)"
check "a folder (exit 3)" "3" "$(status --ledger "$work" report balances)"

# Reports on a ledger in a folder the user cannot write: opened read-only (immutable).
ro="$work/ro"
mkdir "$ro"
PHSG_LEDGER="$ro/l.db"
addp >/dev/null
p award create --client C1 --package housing-options --need basic=low --start 2026-04-13 \
	--method direct --payee P1 >/dev/null
p run --allow-future --date 2026-05-11 >/dev/null
want=$(p report balances --as-of 2026-05-11 --format json)
before=$(sha256sum < "$ro/l.db")
chmod 755 "$work"
chmod 555 "$ro"
chmod 444 "$ro/l.db"
as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$PHSG" --ledger "$ro/l.db" "$@"; }
# as root, a user who may only read; where that user cannot reach the binary or the
# scheme (a private build folder or copy of the tree), the owner's own read-only open
# below still shows the same
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null && as_nobody --version >/dev/null 2>&1 &&
	setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$PHSG_CONFIG"; then
	check "a report as a user who may only read" "$want" "$(as_nobody report balances --as-of 2026-05-11 --format json)"
	check "the journal too" "0" "$(as_nobody export --format ledger >/dev/null 2>&1; echo $?)"
	check "a write is refused (exit 3)" "3" "$(as_nobody award end A000001 --on 2026-05-01 >/dev/null 2>&1; echo $?)"
else
	# not root: this user is the one who may only read
	check "a report on a read-only ledger" "$want" "$(p report balances --as-of 2026-05-11 --format json)"
fi
check "the file is unchanged" "$before" "$(sha256sum < "$ro/l.db")"
check "no side files made" "l.db" "$(ls "$ro")"
chmod 755 "$ro"
