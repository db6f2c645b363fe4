#!/usr/bin/env bash
# The recipe of tests/cli/data/ledger-v6.sql, as run with the phsg of commit 5965e91
# (ledger schema 6): ledger-v6.sh PHSG LEDGER config/medway.cfg; then sqlite3 LEDGER .dump,
# with the version pragmas.  The ledger-v6.* files beside it are what that phsg printed for
# it (see tests/cli/ledger-migration.sh).
set -euo pipefail
PHSG=$1; export PHSG_LEDGER=$2 PHSG_CONFIG=$3
p() { "$PHSG" --operator fixture "$@"; }
p payee add P1 --name "Jo Bloggs" --sort-code 40-12-34 --account 12345678 >/dev/null
p payee add P2 --name "Homes & Hope Ltd" --sort-code 309876 --account 87654321 >/dev/null
p payee add C1 --name "Card Holder" --card 5555000011112222 >/dev/null
a=$(p award create --client V1 --package long-term-support --need maintenance=high \
	--start 2026-04-13 --method direct --payee P1)
b=$(p award create --client V2 --package housing-options --need basic=low \
	--start 2026-04-13 --method provider --payee P2)
c=$(p award create --client V3 --package long-term-support --need maintenance=medium \
	--start 2026-04-13 --method card --payee C1)
p run --allow-future --date 2026-04-13 >/dev/null        # batch 1
p batch sent 1 >/dev/null
p run --allow-future --date 2026-05-11 >/dev/null        # batch 2
p batch void 2 >/dev/null
p run --allow-future --date 2026-05-11 >/dev/null        # batch 3 pays 05-11 again
p batch sent 3 >/dev/null
p award change-payee "$a" --payee P2 --method provider --from 2026-06-08 >/dev/null
p payee update P1 --sort-code 40-99-99 --account 99998888 --from 2026-06-08 >/dev/null
p run --allow-future --date 2026-06-08 >/dev/null        # batch 4
p batch sent 4 >/dev/null
p payee update P2 --sort-code 200000 --account 11110000 --from 2026-07-06 >/dev/null
echo "$a $b $c"
