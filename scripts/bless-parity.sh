#!/usr/bin/env bash
# Regenerates tests/parity/err/*.stderr from the real protoc (protoc-bin-vendored), using the
# same invocation as tests/protoc_parity.rs (which owns the convention), then lists expectations without a case.
#
# Usage: scripts/bless-parity.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RIVET_BLESS=1 cargo test --test protoc_parity -- --exact err_expectations_match_protoc

# A case directory tests/parity/err/NAME/ expects tests/parity/err/NAME.stderr; report strays.
for stderr in tests/parity/err/*.stderr; do
  base="${stderr%.stderr}"
  if [ ! -e "$base.proto" ] && [ ! -d "$base" ]; then
    echo "stale expectation (no matching case): $stderr" >&2
  fi
done

echo "blessed $(ls tests/parity/err/*.stderr | wc -l) expectations in tests/parity/err (review with your VCS diff)"
