# SPEC section 12: a catalogue of bad inputs (tests/cli/bad-inputs/*.cases).
#
# Each case is one line of a .cases file:
#
#   name | exit | message | arguments, split as the shell would
#
# and runs `phsg arguments` on a fresh copy of one prepared ledger folder (see
# prepare below: payees, awards, a suspension, a cancellation, a sent batch,
# a voided batch, unsent batches, a recovery due, a plan outcome; an
# Oxfordshire ledger with a contribution; damaged and tampered ledgers;
# an empty file, another program's database, a text file, a ledger newer
# than phsg, a folder).  @W@ in the arguments or the message is that folder;
# PHSG_LEDGER is its ledger.db and PHSG_CONFIG config/medway.cfg.  A case
# passes when
#   - phsg exits with `exit` (2 bad usage or input, 1 refused by a rule,
#     3 the ledger; 0 for a scenario that leaves a row out and says so);
#   - nothing is printed on stdout (unless exit is 0, or by verify);
#   - stderr's first line starts with "phsg: error:" (unless exit is 0),
#     every line of it is a phsg message (starts with "phsg: ": nothing the
#     input carried broke a line), and it contains `message` (fixed text);
#   - no sanitizer report is on stderr, no signal ended it, and valgrind
#     (make valgrind) did not exit 99;
#   - every file of the folder has the same bytes as before (sha256), so the
#     ledgers hold the same rows (checked with sqlite3 .dump where the bytes
#     differ, to say which), and no file was added or removed (no ledger file
#     left behind, no -wal or -shm), nor any in the working folder.
# The arguments may use bash's $'...' quoting for control characters and
# invalid UTF-8.  BAD_INPUTS=PATTERN runs only the cases whose name matches;
# BAD_INPUTS_KEEP=DIR keeps a copy of the prepared folder there.
# The last line is "bad-inputs: N passed, M failed"; each failure is listed
# above it with its command (@W@ standing for the copied folder).
set -u
# Its ledgers are SQLite files copied per case (and damaged ones among them):
# the catalogue runs on the SQLite backend only (exit 77: skipped).
[ "${PHSG_TEST_BACKEND:-sqlite}" = sqlite ] || exit 77
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
cd "$root" || exit 2
: "${PHSG:?set PHSG to the phsg binary}"
cases_dir="$here/bad-inputs"
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export PHSG_CONFIG="$root/config/medway.cfg"
unset PHSG_OPERATOR

# --- the prepared folder ----------------------------------------------------------
tpl="$work/tpl"
mkdir "$tpl"
prep() {
	"$PHSG" --operator tester "$@" >>"$work/prep.log" 2>&1 ||
		{ echo "bad-inputs: preparing the ledger failed: phsg $*"; tail -5 "$work/prep.log"; exit 1; }
}
prepare() {
	export PHSG_LEDGER="$tpl/ledger.db"
	prep payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 12345678
	prep payee add P2 --name "Homes & Hope Ltd" --sort-code 309876 --account 87654321
	prep payee add C1 --name "Card Holder" --card 5555000011112222
	# A000001 long-term-support (unlimited), suspended 2026-09-01 to 2026-09-15
	prep award create --client B1 --package long-term-support --need maintenance=high \
		--start 2026-04-13 --method direct --payee P1
	prep award suspend A000001 --from 2026-09-01 --to 2026-09-15
	# A000002 resettlement: 6 months, extendable to 12
	prep award create --client B2 --package resettlement --need intensive=low --need basic=low \
		--start 2026-04-13 --method provider --payee P2
	# A000003 housing options on a card, ended 2026-06-08, paid exactly what it earned
	prep award create --client B3 --package housing-options --need basic=low \
		--start 2026-04-13 --method card --payee C1
	prep award end A000003 --on 2026-06-08
	# A000004: event 2 (a suspension) cancelled by event 3
	prep award create --client B4 --package long-term-support --need maintenance=low \
		--start 2026-04-13 --method direct --payee P1
	prep award suspend A000004 --from 2026-06-01 --to 2026-06-15
	prep award cancel A000004 2 --reason "recorded in error"
	# A000005 housing options: 3 months, not extendable
	prep award create --client B5 --package housing-options --need basic=low \
		--start 2026-06-01 --method direct --payee P2
	# A000006: paid to 2026-07-06, then ended on 2026-05-01: a recovery is due
	prep award create --client B6 --package long-term-support --need maintenance=high \
		--start 2026-04-13 --method direct --payee P2
	prep run --allow-future --date 2026-04-13      # batch 1: sent, payment 1 returned
	prep batch sent 1
	prep batch return 1 --payment 1 --on 2026-04-20 --reason "account closed"
	prep run --allow-future --date 2026-05-11      # batch 2: voided
	prep batch void 2
	prep run --allow-future --date 2026-06-08      # batch 3: posted, not sent
	prep award end A000006 --on 2026-05-01
	prep run --allow-future --date 2026-07-06      # batch 4: no card payment
	# A000001/1: an outcome of 1 hour a week (the award is assessed for 2)
	prep plan add A000001 --area feeling-safe --goal "Feel safe at home" --ongoing --hours 1
	unset PHSG_LEDGER

	# Oxfordshire: a tier 2 award with tier 4 chosen (36.00 a cycle from the person),
	# one run, the first cycle's contribution received
	export PHSG_LEDGER="$tpl/oxon.db"
	local ox="--config $root/config/oxfordshire.cfg"
	# shellcheck disable=SC2086
	{
		prep $ox payee add P1 --name "Jo Bloggs" --sort-code 401234 --account 12345678
		prep $ox payee add scheme-provider --name "Provider" --sort-code 401234 --account 12345679
		prep $ox award create --client T1 --package older-people-tiered --tier 2 --chosen-tier 4 \
			--start 2026-04-13 --method direct --payee P1
		prep $ox run --allow-future --date 2026-04-13
		prep $ox contribution receive A000001 --amount 36.00 --on 2026-04-20
	}
	unset PHSG_LEDGER

	# files that are not phsg ledgers, and damaged ones
	: >"$tpl/empty.db"
	sqlite3 "$tpl/other.db" "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT);
		INSERT INTO notes(text) VALUES ('not phsg');"
	echo "not a database" >"$tpl/text.db"
	cp "$tpl/ledger.db" "$tpl/newer.db"
	sqlite3 "$tpl/newer.db" "PRAGMA user_version = 99;"
	head -c 8192 "$tpl/ledger.db" >"$tpl/truncated.db"
	cp "$tpl/ledger.db" "$tpl/corrupt.db"
	printf 'garbage!%.0s' $(seq 512) | dd of="$tpl/corrupt.db" bs=1 seek=20000 conv=notrunc 2>/dev/null
	cp "$tpl/ledger.db" "$tpl/forged.db"    # a payment's amount that is not a number
	sqlite3 "$tpl/forged.db" "UPDATE payments SET amount = 'abc' WHERE id = 2;"
	cp "$tpl/ledger.db" "$tpl/forged-real.db"    # half a penny more: a real (a whole one stays an integer)
	sqlite3 "$tpl/forged-real.db" "UPDATE payments SET amount = amount + 0.5 WHERE id = 2;"
	mkdir "$tpl/folder"
}
prepare
[ -z "${BAD_INPUTS_KEEP:-}" ] || cp -a "$tpl" "$BAD_INPUTS_KEEP"

files() { (cd "$1" && find . -mindepth 1 | LC_ALL=C sort); }
sums() { (cd "$1" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum); }
# what changes when a file is written, made or removed: cheap, taken after every case
stamp() { find "$1" -mindepth 1 -printf '%P %y %s %T@\n'; }
# the rows of a ledger, read from a copy (sqlite3 would leave -wal and -shm files)
dump() {
	rm -rf "$work/dump" && mkdir "$work/dump" && cp "$1" "$work/dump/l.db" &&
		sqlite3 "$work/dump/l.db" .dump 2>&1 | sha256sum
}
tpl_files=$(files "$tpl")
tpl_sums=$(sums "$tpl")
tpl_dump_ledger=$(dump "$tpl/ledger.db")
tpl_dump_oxon=$(dump "$tpl/oxon.db")
shopt -s dotglob nullglob
root_files=("$root"/*)
# The cases run in one copy of the folder, made again after a case changed it.
c="$work/c"
fresh() { rm -rf "$c" && cp -a "$tpl" "$c" && c_stamp=$(stamp "$c"); }
fresh

# --- the cases --------------------------------------------------------------------
pass=0
fail=0
failures="$work/failures"
: >"$failures"
declare -A seen=()
# trim VAR: strip the spaces around VAR's value
trim() { local v=${!1}; v=${v#"${v%%[![:space:]]*}"}; v=${v%"${v##*[![:space:]]}"}; printf -v "$1" '%s' "$v"; }

run_case() { # FILE NAME EXIT MESSAGE ARGS
	local file=$1 name=$2 want_exit=$3 want_msg=$4 args=$5
	local problems=() got_exit first shown=$args
	: >"$work/out"
	: >"$work/err"
	args=${args//@W@/$c}
	want_msg=${want_msg//@W@/$c}
	if ! eval "set -- $args" 2>/dev/null; then
		problems+=("the case's arguments do not parse")
	else
		PHSG_LEDGER="$c/ledger.db" "$PHSG" "$@" >"$work/out" 2>"$work/err" </dev/null
		got_exit=$?
		if [ "$got_exit" -gt 128 ]; then
			problems+=("killed by signal $((got_exit - 128)) (exit $got_exit), expected exit $want_exit")
		elif [ "$got_exit" = 99 ]; then
			problems+=("valgrind memcheck found an error (exit 99), expected exit $want_exit")
		elif [ "$got_exit" != "$want_exit" ]; then
			problems+=("exit $got_exit, expected $want_exit")
		fi
		first=$(head -n 1 "$work/err")
		if [ "$want_exit" != 0 ] && [[ "$first" != "phsg: error:"* ]]; then
			problems+=("stderr does not start with 'phsg: error:'")
		fi
		# (verify names the faults it finds on stdout)
		if [ "$want_exit" != 0 ] && [ -s "$work/out" ] && ! [[ " $args " == *" verify "* ]]; then
			problems+=("a failed command printed on stdout: $(head -c 120 "$work/out" | head -n 1 | cat -v)")
		fi
		if grep -qv '^phsg: ' "$work/err"; then
			problems+=("a line of stderr is not a phsg message: $(grep -m1 -v '^phsg: ' "$work/err" | head -c 120 | cat -v)")
		fi
		if [ -n "$want_msg" ] && ! grep -qF -- "$want_msg" "$work/err"; then
			problems+=("stderr lacks: $want_msg")
		fi
		if grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|^==[0-9]+== ' "$work/err"; then
			problems+=("sanitizer or memcheck report: $(grep -m1 -E 'Sanitizer|runtime error:|^==[0-9]+== [A-Z]' "$work/err")")
		fi
	fi
	# nothing made in the working folder (a ledger path taken as a relative file)
	local now_root=("$root"/*)
	if [ "${now_root[*]}" != "${root_files[*]}" ]; then
		local made
		made=$(comm -13 <(printf '%s\n' "${root_files[@]##*/}" | LC_ALL=C sort) \
			<(printf '%s\n' "${now_root[@]##*/}" | LC_ALL=C sort))
		problems+=("made in $root: $(echo "$made" | tr '\n' ' ')")
		# remove what this case's arguments named (and their -wal, -shm, -journal)
		(cd "$root" && echo "$made" | while IFS= read -r f; do
			[ -n "$f" ] && [[ "$args" == *"${f%-*}"* ]] && rm -rf -- "./$f"
		done)
	fi
	# the folder: same files, same bytes
	if [ "$(stamp "$c")" != "$c_stamp" ]; then
		if [ "$(files "$c")" != "$tpl_files" ]; then
			problems+=("files added or removed: $(diff <(echo "$tpl_files") <(files "$c") | sed -n 's/^[<>] //p' | tr '\n' ' ')")
		fi
		local now f
		now=$(sums "$c")
		for f in $(diff <(echo "$tpl_sums") <(echo "$now") | sed -n 's/^> [0-9a-f]*  \.\///p' | sort -u); do
			case $f in
			ledger.db)
				if [ "$(dump "$c/ledger.db")" != "$tpl_dump_ledger" ]; then
					problems+=("the ledger's rows changed (sqlite3 .dump differs)")
				else
					problems+=("the ledger file's bytes changed (its rows did not)")
				fi ;;
			oxon.db)
				if [ "$(dump "$c/oxon.db")" != "$tpl_dump_oxon" ]; then
					problems+=("the Oxfordshire ledger's rows changed (sqlite3 .dump differs)")
				else
					problems+=("the Oxfordshire ledger file's bytes changed (its rows did not)")
				fi ;;
			*) problems+=("$f changed") ;;
			esac
		done
		fresh
	fi
	if [ ${#problems[@]} -eq 0 ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		{
			echo "FAIL $(basename "$file" .cases)/$name"
			echo "  phsg $shown"
			printf '  %s\n' "${problems[@]}"
			echo "  stderr: $(head -c 300 "$work/err" | head -n 3 | cat -v)"
		} >>"$failures"
	fi
}

counts=()
for file in "$cases_dir"/*.cases; do
	lineno=0
	n=0
	while IFS= read -r line || [ -n "$line" ]; do
		lineno=$((lineno + 1))
		case $line in '' | '#'*) continue ;; esac
		IFS='|' read -r name want_exit want_msg args <<<"$line"
		trim name
		trim want_exit
		trim want_msg
		trim args
		if [ -z "$name" ] || ! [[ "$want_exit" =~ ^[0-3]$ ]] || [ -z "$args" ]; then
			echo "bad-inputs: $(basename "$file"):$lineno: not 'name | exit | message | arguments'"
			fail=$((fail + 1))
			continue
		fi
		if [ -n "${seen[$name]:-}" ]; then
			echo "bad-inputs: $(basename "$file"):$lineno: case '$name' is also at ${seen[$name]}"
			fail=$((fail + 1))
			continue
		fi
		seen[$name]="$(basename "$file"):$lineno"
		n=$((n + 1))
		[[ "$name" =~ ${BAD_INPUTS:-.} ]] || continue
		run_case "$file" "$name" "$want_exit" "$want_msg" "$args"
	done <"$file"
	counts+=("$(basename "$file" .cases) $n")
done

cat "$failures"
echo "bad-inputs: catalogue of $((${#seen[@]})) cases: $(IFS=,; echo "${counts[*]}" | sed 's/,/, /g')"
[ -z "${BAD_INPUTS:-}" ] || echo "bad-inputs: only the cases matching '$BAD_INPUTS'"
echo "bad-inputs: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
