# SPEC section 13: report outcomes over 56 generated awards with plans and reviews,
# worked out independently by tests/cli/outcomes_check.py (no code shared).
. "$(dirname "$0")/lib.bash"
python3 "$root/tests/cli/outcomes_check.py"
