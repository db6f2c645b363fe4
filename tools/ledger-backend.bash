# tools/ledger-backend.bash - ledgers for the harnesses (killtest,
# concurrency, concurrency-mixed) on either backend, sourced by them.
#
# PHSG_TEST_BACKEND=postgresql (inside `tools/pgtest run`) puts every ledger
# in a database of the throwaway cluster; else each is a file in $work.
#   lb_new NAME         where a new, empty ledger goes
#   lb_fresh FROM NAME  a copy of ledger FROM (a file copy, or a database
#                       made from FROM as its template); prints where
#   lb_query LEDGER SQL...  each statement's rows, columns joined by |
#   lb_intact LEDGER    the store's own check passes (SQLite's
#                       integrity_check; PostgreSQL has none, its server
#                       keeps its files: phsg verify's invariants instead)
#   lb_settle LEDGER    make the ledger quiet enough to copy (SQLite: WAL
#                       checkpoint)
lb_backend=${PHSG_TEST_BACKEND:-sqlite}
case $lb_backend in
sqlite | postgresql) ;;
*) echo "PHSG_TEST_BACKEND must be sqlite or postgresql" >&2; exit 2 ;;
esac
[ "$lb_backend" = sqlite ] || [ -n "${PHSG_PGTEST:-}" ] ||
	{ echo "PHSG_TEST_BACKEND=postgresql works inside tools/pgtest run" >&2; exit 2; }

lb_new() {
	if [ "$lb_backend" = postgresql ]; then "$PHSG_PGTEST" newdb; else echo "$work/$1.db"; fi
}

lb_fresh() {
	if [ "$lb_backend" = postgresql ]; then
		"$PHSG_PGTEST" newdb "$1"
	else
		rm -f "$work/$2.db" "$work/$2.db-wal" "$work/$2.db-shm"
		cp "$1" "$work/$2.db"
		echo "$work/$2.db"
	fi
}

lb_query() {
	local ledger=$1
	shift
	if [ "$lb_backend" = postgresql ]; then
		local args=()
		for q in "$@"; do args+=(-c "$q"); done
		psql -X -q -tA -F'|' -v ON_ERROR_STOP=1 -d "$ledger" "${args[@]}"
	else
		local q
		for q in "$@"; do sqlite3 "$ledger" "$q"; done
	fi
}

lb_intact() {
	if [ "$lb_backend" = postgresql ]; then
		[ "$(PHSG_LEDGER="$1" "$phsg" verify 2>&1)" = ok ]
	else
		[ "$(sqlite3 "$1" 'PRAGMA integrity_check;')" = ok ]
	fi
}

lb_settle() {
	[ "$lb_backend" = postgresql ] || sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
}
