# A seeded property test of the payment rule and corrections (SPEC §4, §5,
# §10): a few hundred Medway awards, then random runs, voids of any batch not
# sent, batches sent, award events (many backdated), recoveries received and
# refused, each followed by the ledger's invariants read through the CLI, and
# a final catch-up run after which every award's net paid is its rounded
# entitlement, or above it by exactly its recovery due.  The model and the
# checks are in corrections_property.py beside this file.
#   PHSG_PROP_SEED=N (the seed; printed on failure), PHSG_PROP_AWARDS,
#   PHSG_PROP_STEPS, PHSG_PROP_LOG=FILE (every command issued, to replay).
. "$(dirname "$0")/lib.bash"
setup_payees
PHSG_PROP_WORK="$work" python3 "$root/tests/cli/corrections_property.py"
