#!/usr/bin/env bash
# Benchmarks compiling all of googleapis (--include_imports --include_source_info, one
# invocation) with rivet, protoc and protox, each as a process, in the same run, and prints a
# markdown table of median wall time and median peak RSS with ratios. The corpus is
# google-proto-files without its copy of google/protobuf/ (see prepare_bench_corpus in
# scripts/corpus.sh), so each compiler uses its own well-known types.
#
# Usage: scripts/bench-googleapis.sh [RUNS]      (default 5 runs per tool, after one warm-up)
#
# Installs what it needs: the corpus (npm), protox's CLI (cargo install, into target/tools),
# GNU time (apt, for peak RSS). protoc is the vendored one (protoc-bin-vendored).
set -euo pipefail
. "$(dirname "$0")/corpus.sh"
cd "$REPO_ROOT"

RUNS="${1:-${RUNS:-5}}"
PROTOX_VERSION="0.10.0"
TOOLS_DIR="$TARGET_DIR/tools"

"$REPO_ROOT/scripts/fetch-googleapis.sh" >&2
prepare_bench_corpus

if [ ! -x /usr/bin/time ]; then
  echo "installing GNU time (for peak RSS)" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq >&2 && $SUDO apt-get install -y -qq time >&2
fi
if [ ! -x "$TOOLS_DIR/bin/protox" ]; then
  echo "installing protox $PROTOX_VERSION into $TOOLS_DIR" >&2
  cargo install protox --version "$PROTOX_VERSION" --features bin --locked --root "$TOOLS_DIR" >&2
fi
cargo build --release --locked -p rivet-cli >&2

RIVET="$TARGET_DIR/release/rivet"
PROTOC="$(protoc_path)"
PROTOX="$TOOLS_DIR/bin/protox"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mapfile -t FILES < "$BENCH_FILES"
FLAGS=(-I. --include_imports --include_source_info)

command_for() { # tool output-file: sets CMD
  case "$1" in
    rivet) CMD=("$RIVET" compile "${FLAGS[@]}" "-o$2" "@$BENCH_FILES") ;;
    protoc) CMD=("$PROTOC" "${FLAGS[@]}" "-o$2" "@$BENCH_FILES") ;;
    protox) CMD=("$PROTOX" "${FLAGS[@]}" -o "$2" "${FILES[@]}") ;; # protox has no @FILE
  esac
}

TOOLS=(rivet protoc protox)
declare -A FAILED
echo "benchmark: ${#FILES[@]} files of google-proto-files $GPF_VERSION (without google/protobuf/), $RUNS runs per tool (+1 warm-up), $(nproc) cores" >&2
# Each run starts with another tool (rivet, protoc, protox; then protoc, protox, rivet; ...): a
# process started right after one that freed a gigabyte can pay more kernel time for its own
# memory, and a fixed order would charge that to whichever tool always follows protox.
for run in $(seq 0 "$RUNS"); do # run 0 is the warm-up
  ORDER=("${TOOLS[@]:$((run % ${#TOOLS[@]}))}" "${TOOLS[@]:0:$((run % ${#TOOLS[@]}))}")
  for tool in "${ORDER[@]}"; do
    [ -n "${FAILED[$tool]:-}" ] && continue
    out="$WORK/$tool.pb"
    start=$(date +%s%N)
    command_for "$tool" "$out"
    if ! (cd "$BENCH_ROOT" && /usr/bin/time -f %M -o "$WORK/rss" "${CMD[@]}" 2> "$WORK/$tool.stderr" > /dev/null); then
      echo "$tool failed; its last lines of stderr:" >&2
      tail -5 "$WORK/$tool.stderr" >&2
      FAILED[$tool]=1
      continue
    fi
    end=$(date +%s%N)
    if [ "$run" -gt 0 ]; then
      echo "$(( (end - start) / 1000000 ))" >> "$WORK/$tool.ms"
      tail -1 "$WORK/rss" >> "$WORK/$tool.kb"
    fi
  done
  [ "$run" -gt 0 ] && echo "  run $run/$RUNS done" >&2
done

median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
declare -A MS KB
for tool in "${TOOLS[@]}"; do
  [ -n "${FAILED[$tool]:-}" ] && continue
  MS[$tool]=$(median "$WORK/$tool.ms")
  KB[$tool]=$(median "$WORK/$tool.kb")
done

ratio() { # numerator denominator -> "x.xx" or "n/a"
  if [ -n "$1" ] && [ -n "$2" ]; then awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; else echo "n/a"; fi
}

echo
echo "Compiling googleapis (${#FILES[@]} files, \`--include_imports --include_source_info\`, one process), median of $RUNS runs:"
echo
echo "| tool | wall time | protoc's time / tool's | protox's time / tool's | peak RSS | RSS / protoc's | RSS / protox's |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for tool in "${TOOLS[@]}"; do
  if [ -n "${FAILED[$tool]:-}" ]; then
    echo "| $tool | failed | | | | | |"
    continue
  fi
  printf '| %s | %.2f s | %s | %s | %d MiB | %s | %s |\n' "$tool" \
    "$(awk -v m="${MS[$tool]}" 'BEGIN { print m / 1000 }')" \
    "$(ratio "${MS[protoc]:-}" "${MS[$tool]}")" "$(ratio "${MS[protox]:-}" "${MS[$tool]}")" \
    "$(( ${KB[$tool]%.*} / 1024 ))" \
    "$(ratio "${KB[$tool]}" "${KB[protoc]:-}")" "$(ratio "${KB[$tool]}" "${KB[protox]:-}")"
done
echo
if [ -z "${FAILED[rivet]:-}" ] && [ -z "${FAILED[protoc]:-}" ]; then
  if cmp -s "$WORK/rivet.pb" "$WORK/protoc.pb"; then
    echo "rivet's descriptor set is byte-identical to protoc's."
  else
    echo "note: rivet's descriptor set differs from protoc's (see scripts/googleapis-parity.sh)."
  fi
fi
echo "Reproduce: scripts/bench-googleapis.sh $RUNS"
