# `phsg help COMMAND` prints exactly what `phsg COMMAND --help` prints, exit 0,
# for every command the usage lists; `phsg help` and `phsg -h` print the
# usage, like --help; nothing touches a ledger.
. "$(dirname "$0")/lib.bash"
export PHSG_LEDGER=/nonexistent/should-not-be-used.db
"$PHSG" --help >"$work/usage"
for h in -h help; do
	"$PHSG" $h >"$work/out" 2>"$work/err"
	check "phsg $h exits 0" 0 $?
	check "phsg $h prints the usage" "$(cat "$work/usage")" "$(cat "$work/out")"
done
commands="check-config quote payee award run batch recovery contribution report export scenario verify plan review serve"
for c in $commands; do
	check "the usage lists $c" 1 "$(grep -c "^  $c " "$work/usage")"
	"$PHSG" "$c" --help >"$work/want" 2>&1
	check "phsg $c --help exits 0" 0 $?
	"$PHSG" help "$c" >"$work/out" 2>"$work/err"
	check "phsg help $c exits 0" 0 $?
	check "phsg help $c is phsg $c --help" "$(cat "$work/want")" "$(cat "$work/out")"
	check "phsg help $c writes no error" "" "$(cat "$work/err")"
	check "phsg help $c starts with its usage" "usage: phsg $c" "$(head -c $((12 + ${#c})) "$work/out")"
done
check "no ledger was made" 1 "$([ -e /nonexistent/should-not-be-used.db ]; echo $?)"
