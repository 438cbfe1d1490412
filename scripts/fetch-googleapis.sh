#!/usr/bin/env bash
# Fetches the googleapis corpus: the npm package google-proto-files (version pinned in
# scripts/corpus.sh), installed with npm into target/corpus/google-proto-files. Cached: does
# nothing if that version is already there. Prints where it is and how many .proto files it has.
set -euo pipefail
. "$(dirname "$0")/corpus.sh"

marker="$GPF_PREFIX/.installed-$GPF_VERSION"
if [ ! -f "$marker" ]; then
  command -v npm >/dev/null || { echo "npm is required (install Node.js)" >&2; exit 1; }
  echo "installing google-proto-files@$GPF_VERSION into $GPF_PREFIX" >&2
  rm -rf "$GPF_PREFIX.tmp"
  mkdir -p "$GPF_PREFIX.tmp"
  npm install --prefix "$GPF_PREFIX.tmp" --no-save --no-package-lock --ignore-scripts \
    --no-audit --no-fund --loglevel=error "google-proto-files@$GPF_VERSION" >&2
  rm -rf "$GPF_PREFIX"
  mv "$GPF_PREFIX.tmp" "$GPF_PREFIX"
  touch "$marker"
fi
count="$(find "$GPF_ROOT" -name '*.proto' | wc -l)"
echo "google-proto-files $GPF_VERSION: $count .proto files in $GPF_ROOT"
