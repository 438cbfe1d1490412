# Shared settings for the googleapis corpus scripts. Source it: `. scripts/corpus.sh`.
#
# The corpus is the npm package google-proto-files (googleapis' protos plus a few others),
# pinned below and cached under target/corpus/ (override the location with RIVET_CORPUS_DIR).

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TARGET_DIR="${CARGO_TARGET_DIR:-$REPO_ROOT/target}"
GPF_VERSION="6.0.1"
CORPUS_DIR="${RIVET_CORPUS_DIR:-$TARGET_DIR/corpus}"
# Where npm installs the package; the .proto files live under $GPF_ROOT.
GPF_PREFIX="$CORPUS_DIR/google-proto-files"
GPF_ROOT="$GPF_PREFIX/node_modules/google-proto-files"
# The inputs protoc accepts, one per line, relative to $GPF_ROOT (see select_googleapis_files).
GPF_FILES="$CORPUS_DIR/googleapis-$GPF_VERSION.files"

# Prints the path of the protoc that protoc-bin-vendored (a dev-dependency) ships for this
# machine, found through `cargo metadata` (which downloads the crate if needed).
protoc_path() {
  local platform
  case "$(uname -s)-$(uname -m)" in
    Linux-x86_64) platform=linux-x86_64 ;;
    Linux-aarch64 | Linux-arm64) platform=linux-aarch_64 ;;
    Linux-i?86) platform=linux-x86_32 ;;
    Darwin-x86_64) platform=macos-x86_64 ;;
    Darwin-arm64) platform=macos-aarch_64 ;;
    *) echo "no vendored protoc for $(uname -s)-$(uname -m)" >&2; return 1 ;;
  esac
  (cd "$REPO_ROOT" && cargo metadata --format-version 1 --locked) | node -e '
    let json = "";
    process.stdin.on("data", (d) => (json += d)).on("end", () => {
      const pkg = JSON.parse(json).packages.find((p) => p.name === process.argv[1]);
      if (!pkg) { console.error("package " + process.argv[1] + " not found"); process.exit(1); }
      console.log(require("path").join(require("path").dirname(pkg.manifest_path), "bin", "protoc"));
    });' "protoc-bin-vendored-$platform"
}

# Writes $GPF_FILES: every .proto file of the package that protoc compiles. protoc stops at the
# first input that fails, so this compiles all files in one invocation and drops the inputs
# named in error lines until protoc succeeds. In 6.0.1 that drops 4 of 7243 files, all test
# protos of protobuf itself under google/protobuf/: three import files the package does not ship
# (ruby_generated_code*.proto, util/json_format_proto3.proto) and one redefines the symbols of a
# sibling (ruby_generated_pkg_implicit.proto vs ruby_generated_pkg_explicit.proto). Cached.
select_googleapis_files() {
  if [ -s "$GPF_FILES" ]; then
    return 0
  fi
  local protoc candidates errors round
  protoc="$(protoc_path)"
  candidates="$(mktemp)"
  errors="$(mktemp)"
  (cd "$GPF_ROOT" && find . -name '*.proto' | sed 's|^\./||' | LC_ALL=C sort) > "$candidates"
  for round in $(seq 1 50); do
    # One invocation: protoc reads the arguments from the list file (@FILE).
    if (cd "$GPF_ROOT" && "$protoc" -I. -o /dev/null "@$candidates") 2> "$errors"; then
      mv "$candidates" "$GPF_FILES"
      rm -f "$errors"
      echo "selected $(wc -l < "$GPF_FILES") of the package's .proto files (protoc accepts them all together)" >&2
      return 0
    fi
    # Error lines look like `path:line:col: message` or `path: message`; warnings are kept.
    local failing
    failing="$(grep -v ': warning: ' "$errors" | sed -n 's/^\([^:]*\.proto\):.*/\1/p' | LC_ALL=C sort -u)"
    if [ -z "$failing" ] || ! grep -qxF -f <(echo "$failing") "$candidates"; then
      echo "protoc fails on the corpus and no input can be blamed:" >&2
      head -20 "$errors" >&2
      rm -f "$candidates" "$errors"
      return 1
    fi
    echo "excluding (protoc rejects): $(echo "$failing" | tr '\n' ' ')" >&2
    grep -vxF -f <(echo "$failing") "$candidates" > "$candidates.next" || true
    mv "$candidates.next" "$candidates"
  done
  echo "gave up selecting files after 50 rounds" >&2
  return 1
}

# The benchmark corpus: googleapis proper, without the package's copy of google/protobuf/ (a
# newer descriptor.proto that protox 0.10 cannot parse, and protobuf's own test protos), so each
# compiler uses its own well-known types. $BENCH_ROOT mirrors $GPF_ROOT with symlinks, minus
# google/protobuf/; $BENCH_FILES lists the inputs (those of $GPF_FILES outside google/protobuf/).
BENCH_ROOT="$CORPUS_DIR/googleapis-$GPF_VERSION-bench"
BENCH_FILES="$CORPUS_DIR/googleapis-$GPF_VERSION-bench.files"

prepare_bench_corpus() {
  select_googleapis_files
  if [ -s "$BENCH_FILES" ] && [ -d "$BENCH_ROOT" ]; then
    return 0
  fi
  local entry
  rm -rf "$BENCH_ROOT"
  mkdir -p "$BENCH_ROOT/google"
  for entry in "$GPF_ROOT"/*; do
    [ -d "$entry" ] && [ "$(basename "$entry")" != google ] && ln -s "$entry" "$BENCH_ROOT/"
  done
  for entry in "$GPF_ROOT"/google/*; do
    [ "$(basename "$entry")" != protobuf ] && ln -s "$entry" "$BENCH_ROOT/google/"
  done
  grep -v '^google/protobuf/' "$GPF_FILES" > "$BENCH_FILES"
}
