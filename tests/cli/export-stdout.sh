# The ledger's export written straight to a file (issue 15): the same bytes
# as through a pipe, after what the file held with >>; and when the file
# cannot take it all (a size limit) or a signal stops it part way, the file
# is cut back to what it held before, with nothing of the export left.
# Standard output that cannot be cut back (a file opened part way, or read
# only) gets the export through a temporary file, as a pipe does.
. "$(dirname "$0")/lib.bash"
# phsg itself, its stdout the file: a transcript's recorder stands between
# `p` and the file, so p is used only for what goes through a pipe
ph() { "${PHSG_REAL:-$PHSG}" --operator tester "$@"; }
# limited KIB FORMAT: the export under a KIB KiB limit on file sizes, SIGXFSZ
# ignored, so that a write past it fails with EFBIG
limited() { ( trap '' XFSZ; ulimit -f "$1"; ph export --format "$2" ); }

# 600 awards from the benchmark's generator, paid from their starts: a
# journal of more than 1 MiB, so the file takes it in several writes
for i in $(seq 20); do p payee add "B$i" --name "Bank $i" --sort-code "40$(printf %04d "$i")" --account "1234$(printf %04d "$i")" >/dev/null; done
for i in $(seq 5); do p payee add "K$i" --name "Card $i" --card "99990000$i" >/dev/null; done
"$root/tools/gen-caseload" 600 7 medway > "$work/caseload.csv"
p award import "$work/caseload.csv" >/dev/null || { echo "FAILED: import"; exit 1; }
p run --allow-future --date 2026-11-23 >/dev/null || { echo "FAILED: run"; exit 1; }

for f in ledger csv json; do
	p export --format $f | cat > "$work/pipe.$f"
	ph export --format $f > "$work/file.$f" || { echo "FAILED: export --format $f to a file"; exit 1; }
	cmp -s "$work/pipe.$f" "$work/file.$f" || { echo "FAILED: $f to a file differs from $f through a pipe"; exit 1; }
done
size=$(stat -c %s "$work/pipe.ledger")
[ "$size" -gt 1048576 ] || { echo "FAILED: the journal is $size bytes, not over 1 MiB"; exit 1; }
check "json entries as the journal's" "$(grep -c '^    ; award: ' "$work/pipe.ledger")" "$(jq '.entries | length' "$work/pipe.json")"

# >> keeps what the file held and adds the export after it
printf 'kept\n' > "$work/held"
{ printf 'kept\n'; cat "$work/pipe.ledger"; } > "$work/want"
ph export --format ledger >> "$work/held" || { echo "FAILED: export >>"; exit 1; }
cmp -s "$work/want" "$work/held" || { echo "FAILED: >> does not give what the file held, then the journal"; exit 1; }

# A 512 KiB limit on file sizes (ulimit -f; SIGXFSZ ignored, so a write
# fails with EFBIG): the export fails part way, exit 2, and the file is
# cut back to its 5 bytes, or to nothing after >.
printf 'kept\n' > "$work/held"
limited 512 ledger >> "$work/held" 2> "$work/err"
check "a full file (exit 2)" "2" "$?"
check "its message" "phsg: error: cannot write the export to standard output" "$(cat "$work/err")"
check "the file as it was" "kept" "$(cat "$work/held")"
limited 512 csv > "$work/held" 2> "$work/err"
check "a full file after > (exit 2)" "2" "$?"
check "nothing left after >" "0" "$(stat -c %s "$work/held")"
# and cut back where the next writer starts: what follows the export in
# the same file comes first, with no gap of zeros before it
{ limited 512 ledger 2>/dev/null; echo after; } > "$work/held"
cmp -s "$work/held" <(echo after) || { echo "FAILED: the next writer does not start where the export did"; od -c "$work/held" | head -3; exit 1; }
# The limit falls in the last bytes, the ones written only when the file is
# closed (the JSON's closing brackets): K bytes held first, so that K + the
# export's S bytes end 3 bytes past the limit L KiB.
S=$(stat -c %s "$work/pipe.json")
L=$(( (S + 1023) / 1024 + 1 ))
K=$(( L * 1024 - S + 3 ))
head -c $K /dev/zero > "$work/held"
limited $L json >> "$work/held" 2> "$work/err"
check "the last bytes do not fit (exit 2)" "2" "$?"
check "their message" "phsg: error: cannot write the export to standard output" "$(cat "$work/err")"
check "the file as it was, $K bytes" "$K" "$(stat -c %s "$work/held")"
# The same limit with SIGXFSZ as it comes: the signal stops phsg (exit
# 128 + 25), which cuts the file back first.
printf 'kept\n' > "$work/held"
{ ( ulimit -f 512; ph export --format ledger ) >> "$work/held"; } 2>/dev/null
check "stopped by SIGXFSZ" "153" "$?"
check "the file as it was after SIGXFSZ" "kept" "$(cat "$work/held")"

# A signal part way, delivered by strace on phsg's third write, after two
# blocks of the journal are in the file: cut back, then the signal's own
# end (128 + its number).  A signal the caller ignores (nohup) stays ignored,
# so each is first set to its default (a test runner's background job has
# SIGINT ignored).  (LeakSanitizer cannot work under ptrace: off there.)
journal_signalled() { # SIGNAL [--default-signal=SIGNAL]: the journal, SIGNAL at the third write
	local sig=$1
	shift
	env "$@" ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" strace -qq -o /dev/null -e trace=write \
		-e inject=write:signal="$sig":when=3 "${PHSG_REAL:-$PHSG}" --operator tester export --format ledger
}
for sig in INT TERM HUP; do
	printf 'kept\n' > "$work/held"
	{ journal_signalled $sig --default-signal=$sig >> "$work/held"; } 2>/dev/null
	rc=$?
	check "stopped by SIG$sig" "$((128 + $(kill -l $sig)))" "$rc"
	check "the file as it was after SIG$sig" "kept" "$(cat "$work/held")"
done
printf 'kept\n' > "$work/held"
( trap '' HUP; journal_signalled HUP ) >> "$work/held"
check "SIGHUP ignored, as by nohup: the export goes on" "0" "$?"
cmp -s "$work/want" "$work/held" || { echo "FAILED: an ignored SIGHUP changed the export"; exit 1; }

# Opened part way (1<>): what was written cannot be cut back, so the export
# goes through a temporary file, which the limit stops first: the file's
# 100 KiB are untouched.
head -c 102400 /dev/zero | tr '\0' x > "$work/part"
cp "$work/part" "$work/part.before"
limited 512 ledger 1<> "$work/part" 2> "$work/err"
check "opened part way, limited (exit 2)" "2" "$?"
check "its message" "phsg: error: cannot write the export" "$(cat "$work/err")"
cmp -s "$work/part.before" "$work/part" || { echo "FAILED: a file opened part way was written in place"; exit 1; }
# without the limit it is written over from where it was opened, as any
# program writing there would
ph export --format ledger 1<> "$work/part" || { echo "FAILED: export 1<>"; exit 1; }
cmp -s "$work/pipe.ledger" "$work/part" || { echo "FAILED: 1<> does not give the journal"; exit 1; }
# read only: nothing can be written, and nothing is
ph export --format ledger 1< "$work/part.before" 2> "$work/err"
check "standard output read only (exit 2)" "2" "$?"
check "its message" "phsg: error: cannot write the export to standard output" "$(cat "$work/err")"
cmp -s "$work/part.before" <(head -c 102400 /dev/zero | tr '\0' x) || { echo "FAILED: a read-only file changed"; exit 1; }
echo "ok"
