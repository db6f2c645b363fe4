# phsg serve (SPEC section 15), from outside, as a browser, a client
# program and an attacker would use it:
#   - /api/quote equals `phsg quote --format json` byte for byte, for every
#     package of both schemes, levels, tiers, a rate change and leap days;
#     bad input 400 and rule refusals 422, with the CLI's message;
#   - headless Chromium loads the broker's form, a quote submitted through
#     the form's GET action shows the right total (by hand and by the CLI)
#     and the CLI's explanation, and a screenshot is kept;
#   - the finance views: 401 without the token, with a wrong one and with it
#     in the address; 200 with it, bodies equal to the CLI's JSON; the ledger
#     file's bytes unchanged by every request of this script;
#   - hostile requests: other methods, long addresses and headers, slow and
#     idle clients, 1,000 connections at once, malformed percent-encoding,
#     HTML in every parameter;
#   - every answer carries the security headers; SIGTERM stops the server
#     cleanly (exit 0: under the sanitizers, no leak).
# Each server listens on a port the kernel picks (--listen 127.0.0.1:0) and
# is stopped on exit, whether the script passes or fails.
. "$(dirname "$0")/lib.bash"
check_py="$root/tests/cli/serve_check.py"
pids=()
# the servers stopped, then lib.bash's own end (the ledger verified, $work removed)
stop_all() {
	local rc=$?
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	(exit "$rc")
	at_exit
}
trap stop_all EXIT

# start NAME ARGS... : a server in the background; sets port_NAME and pid_NAME
start() {
	local name=$1 log="$work/$1.log" i
	shift
	"$PHSG" "$@" >"$log" 2>&1 &
	pids+=($!)
	eval "pid_$name=$!"
	for i in $(seq 200); do
		grep -q 'on http://' "$log" && break
		kill -0 "${pids[-1]}" 2>/dev/null || { echo "FAILED: serve $name did not start"; cat "$log"; exit 1; }
		sleep 0.1
	done
	eval "port_$name=$(sed -n 's|.* on http://[^ ]*:\([0-9]*\)/ .*|\1|p' "$log")"
	[ -n "$(eval echo "\$port_$name")" ] || { echo "FAILED: no port for $name"; cat "$log"; exit 1; }
}

# stop NAME : SIGTERM, and the server must exit 0 (the sanitizers find no leak)
stop() {
	local pid
	pid=$(eval echo "\$pid_$1")
	kill -TERM "$pid"
	wait "$pid"
	check "serve $1 stops cleanly on SIGTERM (exit 0; log: $(tail -c 300 "$work/$1.log"))" 0 $?
}

# get URL [CURL ARGS...] : body in $work/body, headers in $work/head, status echoed
get() {
	local url=$1
	shift
	curl -s -g -o "$work/body" -D "$work/head" -w '%{http_code}' "$@" "$url"
}

# every answer carries the security headers of SPEC section 15
headers_ok() {
	grep -qi "^Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'" "$work/head" &&
		grep -qi '^X-Content-Type-Options: nosniff' "$work/head" &&
		grep -qi '^Referrer-Policy: no-referrer' "$work/head" && echo yes || echo no
}

# query ARGS... : the quote's command-line arguments as a query string
query() {
	local q="" k v
	while [ $# -gt 0 ]; do
		k=${1#--}
		v=$2
		shift 2
		q+="${q:+&}$k=$(jq -rn --arg v "$v" '$v|@uri')"
	done
	echo "$q"
}

start med serve --listen 127.0.0.1:0
start oxon --config "$root/config/oxfordshire.cfg" serve --listen 127.0.0.1:0
med="http://127.0.0.1:$port_med"
oxon="http://127.0.0.1:$port_oxon"

# ---- /api/quote equals phsg quote --format json, byte for byte ----
n=0
while IFS='|' read -r scheme args; do
	[ -n "$scheme" ] || continue
	eval "set -- $args"
	cfg="$root/config/$scheme.cfg"
	base=$med
	[ "$scheme" = oxfordshire ] && base=$oxon
	p --config "$cfg" quote "$@" --format json >"$work/cli.json" 2>"$work/cli.err" ||
		{ echo "FAILED: phsg quote $args: $(cat "$work/cli.err")"; exit 1; }
	code=$(get "$base/api/quote?$(query "$@")")
	check "/api/quote status: $scheme $args" 200 "$code"
	cmp -s "$work/body" "$work/cli.json" ||
		{ echo "FAILED: /api/quote differs from phsg quote --format json: $scheme $args"; diff "$work/cli.json" "$work/body" | head; exit 1; }
	n=$((n + 1))
done <<'EOF'
medway|--package acquiring-independence --need intensive=high --need basic=medium --need maintenance=low --start 2026-04-06
medway|--package acquiring-independence --need intensive=low --start 2026-01-31
medway|--package acquiring-independence --need basic=high --need maintenance=high --start 2024-01-15
medway|--package long-term-support --need maintenance=high --start 2026-04-06
medway|--package long-term-support --need maintenance=medium --start 2023-10-01
medway|--package supported-living --level 1 --need maintenance=high --need basic=low --start 2026-04-06
medway|--package supported-living --level 2 --need intensive=high --need basic=medium --start 2026-04-06
medway|--package supported-living --level 3 --need intensive=medium --need maintenance=low --start 2025-12-31
medway|--package resettlement --need basic=low --start 2026-04-06
medway|--package resettlement --need intensive=high --need basic=high --start 2024-03-01
medway|--package crisis-intervention --need intensive=high --start 2028-02-29
medway|--package housing-options --need basic=medium --start 2027-11-30
medway|--package practical-support --need maintenance=low --start 2024-02-29
oxfordshire|--package core-and-flexi --hours 5 --start 2026-04-06
oxfordshire|--package core-and-flexi --hours 7.5 --start 2025-03-01
oxfordshire|--package core-and-flexi --hours 8 --start 2028-02-29
oxfordshire|--package older-people-tiered --tier 2 --chosen-tier 4 --start 2026-04-06
oxfordshire|--package older-people-tiered --tier 1 --start 2026-04-06
oxfordshire|--package older-people-tiered --tier 5 --start 2026-04-06
oxfordshire|--package older-people-tiered --tier 3 --chosen-tier 5 --start 2025-03-31
oxfordshire|--package home-alone --start 2026-04-06
oxfordshire|--package home-alone --start 2028-01-31
EOF
check "quotes compared" 22 "$n"
check "security headers on a JSON answer" yes "$(headers_ok)"
grep -qi '^Content-Type: application/json' "$work/head" || { echo "FAILED: JSON content type"; exit 1; }

# ---- bad input 400, a rule's refusal 422, with the CLI's message ----
# error STATUS BASE QUERY [CLI ARGS...] : the status, and the message is the
# CLI's own when CLI ARGS are given
error() {
	local want=$1 base=$2 q=$3 code msg
	shift 3
	code=$(get "$base/api/quote?$q")
	check "/api/quote?$q status" "$want" "$code"
	msg=$(jq -r .error "$work/body")
	[ -n "$msg" ] && [ "$msg" != null ] || { echo "FAILED: no error message for $q"; exit 1; }
	if [ $# -gt 0 ]; then
		p "$@" >/dev/null 2>"$work/cli.err"
		check "message for $q is the CLI's" "$(sed -n 's/^phsg: error: //p' "$work/cli.err")" "$msg"
	fi
	check "security headers on a $want" yes "$(headers_ok)"
}
error 400 "$med" "package=nope&start=2026-04-06" quote --package nope --start 2026-04-06
error 400 "$med" "package=resettlement&need=intensive=extreme&start=2026-04-06" \
	quote --package resettlement --need intensive=extreme --start 2026-04-06
error 400 "$med" "package=resettlement&need=maintenance=high&start=2026-04-06" \
	quote --package resettlement --need maintenance=high --start 2026-04-06
error 400 "$med" "package=resettlement&need=basic=low&start=2026-13-01" \
	quote --package resettlement --need basic=low --start 2026-13-01
error 400 "$med" "package=supported-living&level=7&need=basic=low" \
	quote --package supported-living --level 7 --need basic=low
error 400 "$med" "package=resettlement&level=abc"
error 400 "$med" "need=basic=low"
error 400 "$med" "package=resettlement&need=basic=low&colour=blue"
error 400 "$med" "package=resettlement&package=housing-options&need=basic=low"
error 422 "$oxon" "package=core-and-flexi&hours=9&start=2026-04-06" \
	--config "$root/config/oxfordshire.cfg" quote --package core-and-flexi --hours 9 --start 2026-04-06
p --config "$root/config/oxfordshire.cfg" quote --package core-and-flexi --hours 9 >/dev/null 2>&1
check "the CLI refuses 9 hours by a rule too (exit 1)" 1 $?
check "unknown path 404" 404 "$(get "$med/api/nothing")"
check "GET /api/scheme" 200 "$(get "$oxon/api/scheme")"
check "the scheme's packages" "core-and-flexi older-people-tiered home-alone" \
	"$(jq -r '[.packages[].id] | join(" ")' "$work/body")"

# ---- the broker's page in headless Chromium ----
chrome() { timeout 120 chromium --headless --no-sandbox --disable-gpu --no-first-run \
	--user-data-dir="$work/chrome" "$@" 2>/dev/null; }
chrome --dump-dom "$med/" >"$work/form.html"
grep -q '<form method="get" action="/quote">' "$work/form.html" || { echo "FAILED: Chromium did not load the form"; head -c 600 "$work/form.html"; exit 1; }
check "the form offers every Medway package" 7 "$(grep -o '<option value="[a-z-]*"' "$work/form.html" | grep -c -v 'value=""')"
# a broker fills in the form: Supported Living level 2, intensive high, basic medium, from 2026-04-06
q=$(python3 "$check_py" form "$work/form.html" package=supported-living level=2 \
	need=intensive=high need=basic=medium start=2026-04-06) || { echo "FAILED: $q"; exit 1; }
chrome --dump-dom "$med/quote?$q" >"$work/quote.html"
p quote --package supported-living --level 2 --need intensive=high --need basic=medium \
	--start 2026-04-06 --format json >"$work/cli.json"
python3 "$check_py" quote-dom "$work/quote.html" "$work/cli.json" || { echo "FAILED: the quote page in Chromium"; exit 1; }
# by hand: (10 + 2) hours x £21.40 a week, 2026-04-06 to 2027-04-05 = 365 days
python3 "$check_py" arithmetic 12 21.40 365 "$(jq -r .award_total "$work/cli.json")" || exit 1
grep -q 'id="award-total">£13,390.29<' "$work/quote.html" || { echo "FAILED: £13,390.29 not on the page"; exit 1; }
grep -q '<option value="supported-living" selected' "$work/quote.html" || { echo "FAILED: the form keeps the choices"; exit 1; }
# Oxfordshire's form: tiers and hours
chrome --dump-dom "$oxon/" >"$work/oform.html"
q=$(python3 "$check_py" form "$work/oform.html" package=older-people-tiered tier=2 chosen-tier=4 \
	start=2026-04-06) || { echo "FAILED: $q"; exit 1; }
chrome --dump-dom "$oxon/quote?$q" >"$work/oquote.html"
p --config "$root/config/oxfordshire.cfg" quote --package older-people-tiered --tier 2 --chosen-tier 4 \
	--start 2026-04-06 --format json >"$work/cli.json"
python3 "$check_py" quote-dom "$work/oquote.html" "$work/cli.json" || { echo "FAILED: the Oxfordshire quote page"; exit 1; }
# a screenshot to look at (kept in build/: build/serve-quote.png)
mkdir -p "$root/build"
q_shot=$(python3 "$check_py" form "$work/form.html" package=acquiring-independence \
	need=intensive=high need=basic=medium need=maintenance=low start=2026-04-06)
(cd "$work" && chrome --window-size=1200,2400 --screenshot="$root/build/serve-quote.png" "$med/quote?$q_shot" >/dev/null)
[ "$(head -c 4 "$root/build/serve-quote.png" | od -An -c | tr -d ' ')" = '211PNG' ] ||
	{ echo "FAILED: no screenshot"; exit 1; }
# a refused quote shows the reason on the page, with the form
check "a refused quote in the page: 400" 400 "$(get "$med/quote?package=resettlement&need=maintenance=high")"
grep -q 'role="alert"' "$work/body" && grep -q '<form' "$work/body" || { echo "FAILED: the error page"; exit 1; }
check "security headers on a page" yes "$(headers_ok)"

# ---- hostile requests ----
for m in POST PUT DELETE PATCH OPTIONS TRACE; do
	check "$m is 405" 405 "$(get "$med/api/quote?package=resettlement" -X "$m")"
	grep -qi '^Allow: GET, HEAD' "$work/head" || { echo "FAILED: $m: no Allow header"; exit 1; }
	check "security headers on a 405" yes "$(headers_ok)"
done
check "POST with a body is 405" 405 "$(get "$med/" --data 'x=1')"
check "HEAD is served" 200 "$(get "$med/api/scheme" -I)"
long=$(head -c 5000 /dev/zero | tr '\0' a)
check "a 5,000-byte address: 414" 414 "$(get "$med/api/quote?package=$long")"
check "security headers on a 414" yes "$(headers_ok)"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
code=$(get "$med/api/quote?package=$huge")
[ "$code" -ge 400 ] || { echo "FAILED: a 100,000-byte address answered $code"; exit 1; }
check "a 9,000-byte header: 431" 431 "$(get "$med/api/scheme" -H "X-Big: $(head -c 9000 /dev/zero | tr '\0' b)")"
check "security headers on a 431" yes "$(headers_ok)"
code=$(get "$med/api/scheme" -H "X-Big: $huge")
[ "$code" -ge 400 ] || [ "$code" = 000 ] || { echo "FAILED: a 100,000-byte header answered $code"; exit 1; }
for bad in 'package=%zz' 'package=%4' 'package=abc%' 'package=a%00b' 'package=%ff%fe' 'pack%g1age=x'; do
	check "malformed percent-encoding ($bad): 400" 400 "$(get "$med/api/quote?$bad")"
	jq -e '.error | test("percent-encoding|UTF-8")' "$work/body" >/dev/null || { echo "FAILED: message for $bad: $(cat "$work/body")"; exit 1; }
done
check "a malformed path: 400" 400 "$(get "$med/api%2")"
check "a GET with a body: 400" 400 "$(get "$med/api/scheme" -X GET --data 'x=1')"
status=$(python3 "$check_py" raw "$port_med" 'b"GET /api/scheme HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\nabc"')
check "a GET claiming a megabyte of body" "HTTP/1.1 400 Bad Request" "$status"
# HTML in every parameter of the page: shown escaped, never as markup
xss='<img src=x onerror=alert(1)>'
enc=$(jq -rn --arg v "$xss" '$v|@uri')
for param in package level tier chosen-tier hours need start "$enc"; do
	case $param in
	"$enc") q="$enc=1" ;;
	package) q="package=$enc" ;;
	*) q="package=resettlement&need=basic%3Dlow&$param=$enc" ;;
	esac
	get "$med/quote?$q" >/dev/null
	! grep -qF "$xss" "$work/body" || { echo "FAILED: HTML in '$param' reached the page unescaped"; exit 1; }
	grep -qF '&lt;img src' "$work/body" || { echo "FAILED: '$param' not shown escaped"; exit 1; }
done
get "$med/?$enc=1" >/dev/null
! grep -qF "$xss" "$work/body" || { echo "FAILED: HTML in the form's address"; exit 1; }
# a slow client (a byte a second) and an idle one are cut off; the server goes on
python3 "$check_py" slow "$port_med" >"$work/slow.out" || { echo "FAILED: $(cat "$work/slow.out")"; exit 1; }
# 1,000 connections at once, each asking for a quote: all answered
qq="/api/quote?package=resettlement&need=basic%3Dlow&start=2026-04-06"
python3 "$check_py" flood "$port_med" "$qq" 1000 >"$work/flood.out" || { echo "FAILED: $(cat "$work/flood.out")"; exit 1; }
check "a quote after the flood" 200 "$(get "$med$qq")"

# ---- the finance views ----
setup_payees
p award create --client K1 --package long-term-support --need maintenance=high \
	--start 2026-04-06 --method direct --payee P1 >/dev/null
p award create --client K2 --package resettlement --need basic=high --start 2026-04-20 \
	--method provider --payee P2 >/dev/null
p run --allow-future --date 2026-05-11 >/dev/null
p run --allow-future --date 2026-06-08 >/dev/null
p batch sent 1 >/dev/null
sum_before=$(fingerprint)
head -c 32 /dev/urandom | base64 >"$work/token"
chmod 600 "$work/token"
token=$(cat "$work/token")
start fin serve --listen 127.0.0.1:0 --token-file "$work/token"
fin="http://127.0.0.1:$port_fin"
auth=(-H "Authorization: Bearer $token")
for path in /api/batches /api/batches/1 "/api/awards?client=K1" /api/awards/A000001 \
	"/api/reports/balances?as_of=2026-06-30" /finance; do
	check "$path without the token: 401" 401 "$(get "$fin$path")"
	grep -qi '^WWW-Authenticate: Basic' "$work/head" || { echo "FAILED: no challenge"; exit 1; }
	check "security headers on a 401" yes "$(headers_ok)"
	check "$path with a wrong token: 401" 401 "$(get "$fin$path" -H "Authorization: Bearer x$token")"
	check "$path with a wrong Basic password: 401" 401 "$(get "$fin$path" -u "finance:wrong")"
	sep='?'
	case $path in *\?*) sep='&' ;; esac
	check "$path with the token in the address: 401" 401 \
		"$(get "$fin$path${sep}token=$(jq -rn --arg v "$token" '$v|@uri')" "${auth[@]}")"
	check "$path with the token as another parameter: 401" 401 \
		"$(get "$fin$path${sep}t=$(jq -rn --arg v "$token" '$v|@uri')")"
	check "$path with the token: 200" 200 "$(get "$fin$path" "${auth[@]}")"
	check "$path with Basic (the token as password): 200" 200 "$(get "$fin$path" -u "anyone:$token")"
	grep -qi '^Cache-Control: no-store' "$work/head" || { echo "FAILED: $path may be cached"; exit 1; }
done
# same_as PATH CLI ARGS... : the body equals the CLI's JSON
same_as() {
	local path=$1
	shift
	check "$path: 200" 200 "$(get "$fin$path" "${auth[@]}")"
	p "$@" >"$work/cli.json" || { echo "FAILED: phsg $*"; exit 1; }
	cmp -s "$work/body" "$work/cli.json" ||
		{ echo "FAILED: $path differs from phsg $*"; diff "$work/cli.json" "$work/body" | head; exit 1; }
}
same_as /api/batches batch list --format json
same_as /api/batches/1 batch show 1 --format json
same_as /api/batches/2 batch show 2 --format json
same_as "/api/awards?client=K1" award list --client K1 --format json
same_as /api/awards award list --format json
same_as /api/awards/A000001 award show A000001 --format json
same_as "/api/awards/A000002?as_of=2026-05-31" award show A000002 --as-of 2026-05-31 --format json
same_as "/api/reports/balances?as_of=2026-06-30" report balances --as-of 2026-06-30 --format json
same_as /api/reports/balances report balances --format json
check "an unknown award: 404" 404 "$(get "$fin/api/awards/A999999" "${auth[@]}")"
check "an unknown batch: 404" 404 "$(get "$fin/api/batches/99" "${auth[@]}")"
check "not a batch number: 404" 404 "$(get "$fin/api/batches/1x" "${auth[@]}")"
check "a bad as_of: 400" 400 "$(get "$fin/api/reports/balances?as_of=2026-02-30" "${auth[@]}")"
check "a bad client reference: 400" 400 "$(get "$fin/api/awards?client=%3Cb%3E" "${auth[@]}")"
check "the finance page" 200 "$(get "$fin/finance?as_of=2026-06-30" "${auth[@]}")"
grep -q 'Payment batches' "$work/body" && grep -q '>A000002</a>' "$work/body" &&
	grep -q 'Balances as of 2026-06-30' "$work/body" ||
	{ echo "FAILED: the finance page lacks batches or balances"; exit 1; }
get "$fin/finance?as_of=$enc" "${auth[@]}" >/dev/null
! grep -qF "$xss" "$work/body" || { echo "FAILED: HTML in as_of on the finance page"; exit 1; }
chrome --dump-dom "$fin/finance" >"$work/fin.html"
grep -q 'Payment batches' "$work/fin.html" && { echo "FAILED: Chromium saw the finance page without the token"; exit 1; }
# the finance views are off without --token-file, and on a listener that is not loopback
check "finance off without --token-file: 404" 404 "$(get "$med/api/batches" "${auth[@]}")"
start wide serve --listen 0.0.0.0:0 --token-file "$work/token"
grep -q 'finance views are off' "$work/wide.log" || { echo "FAILED: no warning for a wide listener"; exit 1; }
check "finance off on 0.0.0.0: 404" 404 "$(get "http://127.0.0.1:$port_wide/api/batches" "${auth[@]}")"
check "quotes still served on 0.0.0.0" 200 "$(get "http://127.0.0.1:$port_wide/api/scheme")"
check "the ledger's bytes are unchanged by every request" "$sum_before" "$(fingerprint)"

# ---- bad starts ----
check "a bad --listen: exit 2" 2 "$(status serve --listen nowhere)"
echo short >"$work/short"
check "a short token: exit 2" 2 "$(status serve --listen 127.0.0.1:0 --token-file "$work/short")"
grep -q 'too short' "$work/err" || { echo "FAILED: short token message"; exit 1; }
check "a missing token file: exit 2" 2 "$(status serve --listen 127.0.0.1:0 --token-file "$work/none")"
check "a port in use: exit 3" 3 "$(status serve --listen "127.0.0.1:$port_med")"

for s in med oxon fin wide; do stop "$s"; done
pids=()
echo "serve: $n quotes equal to the CLI's; $(cat "$work/slow.out"); $(cat "$work/flood.out")"
