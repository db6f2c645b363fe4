# award import: every row or none, bad rows reported by line number.
. "$(dirname "$0")/lib.bash"
setup_payees
cat > "$work/good.csv" <<'CSV'
client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee
G1,long-term-support,,,,,,,high,2026-04-13,,direct,P1
G2,supported-living,2,,,,medium,low,,2026-04-13,,provider,P2
"G-3",resettlement,,,,,low,low,,2026-04-13,2026-06-08,card,C1
CSV
check "three awards in row order" "A000001 A000002 A000003" "$(p award import "$work/good.csv" | tr '\n' ' ' | sed 's/ $//')"
json award show A000003 --as-of 2026-05-01 --format json
check "quoted client, end applied" "G-3 2026-06-08 C1 card" \
	"$(jqr '"\(.client) \(.end) \(.components[0].payee) \(.components[0].method)"')"

before=$(snapshot)
cat > "$work/bad.csv" <<'CSV'
client,package,level,tier,chosen_tier,hours,intensive,basic,maintenance,start,end,method,payee
H1,long-term-support,,,,,,,high,2026-04-13,,direct,P1
H2,long-term-support,,,,,,,extreme,2026-04-13,,direct,P1
H3,gardening,,,,,,,high,2026-04-13,,direct,P1
H4,long-term-support,,,,,,,high,2026-02-30,,direct,P1
CSV
check "bad rows refuse the whole file (exit 2)" "2" "$(status award import "$work/bad.csv")"
grep -q "line 3: unknown level of need 'extreme'" "$work/err" || { echo "FAILED: line 3"; cat "$work/err"; exit 1; }
grep -q "line 4: unknown package 'gardening'" "$work/err" || { echo "FAILED: line 4"; cat "$work/err"; exit 1; }
grep -q "line 5: '2026-02-30' is not a calendar date" "$work/err" || { echo "FAILED: line 5"; cat "$work/err"; exit 1; }
check "nothing imported" "$before" "$(snapshot)"
check "no output on failure" "" "$(cat "$work/out")"

printf 'client,package\nZ1,long-term-support\n' > "$work/cols.csv"
check "missing columns (exit 2)" "2" "$(status award import "$work/cols.csv")"
grep -q "the header has no 'start' column" "$work/err" || { echo "FAILED: header message"; exit 1; }
check "missing file (exit 2)" "2" "$(status award import "$work/nope.csv")"
check "still nothing imported" "$before" "$(snapshot)"
