#!/usr/bin/env bash
# googleapis parity: compiles the whole googleapis corpus with protoc and with `rivet compile`,
# one invocation each, with and without --include_source_info and --include_imports, and
# requires every file's FileDescriptorProto to be byte-identical. Prints, per mode, the counts of
# identical and different files and the first differing field of the first few different files.
#
# Usage: scripts/googleapis-parity.sh        (fetches the corpus and builds rivet first)
set -euo pipefail
. "$(dirname "$0")/corpus.sh"
cd "$REPO_ROOT"

"$REPO_ROOT/scripts/fetch-googleapis.sh"
select_googleapis_files
echo "googleapis parity: $(wc -l < "$GPF_FILES") input files (list: $GPF_FILES)"

cargo build --release --locked -p rivet-cli
RIVET_BIN="$TARGET_DIR/release/rivet" \
RIVET_GOOGLEAPIS_ROOT="$GPF_ROOT" \
RIVET_GOOGLEAPIS_FILES="$GPF_FILES" \
RIVET_GOOGLEAPIS_OUT="$CORPUS_DIR/out" \
  cargo test --locked --test protoc_parity -- --ignored --exact googleapis::googleapis --nocapture
