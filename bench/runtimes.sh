#!/usr/bin/env bash
# `npm run bench:runtimes`: both benchmarks on the last commit that ran on Node 20, on Node 20
# and on Node 24, and on this tree on Node 24 — in one run, one benchmark at a time, so the
# three are measured on the same machine under the same load. Each benchmark already prints
# its figures as ratios against a baseline measured in its own run; this prints them side by
# side.
#
#   npm run bench:runtimes [-- --base COMMIT] [-- --duration=8 ...]   (flags after the base go
#                                                                    to npm run bench)
#
# The older commit is checked out as git worktrees under ~/.cache/tamna/runtimes/ (outside
# the repository, so the linters never see them) with their own node_modules (native addons
# differ between the two Nodes); Node 20 and Node 24 come from the npm registry through
# scripts/node-env.sh, as CI's Node does.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

base=''
if [[ "${1:-}" == --base ]]; then
  base="$2"
  shift 2
fi
# The commit before the one that pinned Node 24 (.node-version appeared there).
[[ -n "$base" ]] || base="$(git log --diff-filter=A --format=%H -- .node-version | tail -n 1)^"
base="$(git rev-parse --short "$base")"
bench_flags=("$@")
node20="${TAMNA_BENCH_NODE20:-20.20.2}"
node24="$(tr -d 'v \n\r' <.node-version)"
out="${TAMNA_BENCH_RUNTIMES_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tamna/runtimes}"
mkdir -p "$out"

# A subshell with that Node first on PATH (fetched from the registry when needed).
with_node() {
  local version="$1"
  shift
  (
    export TAMNA_NODE_VERSION="$version"
    # shellcheck source=../scripts/node-env.sh
    source "$root/scripts/node-env.sh" >&2
    "$@"
  )
}

# A worktree of the base commit with dependencies installed by that Node.
prepare() {
  local dir="$out/base-node$1" version="$2"
  if [[ ! -d "$dir" || "$(git -C "$dir" rev-parse --short HEAD 2>/dev/null)" != "$base" ]]; then
    rm -rf "$dir"
    git worktree prune
    git worktree add --detach --force "$dir" "$base" >&2
  fi
  if [[ ! -f "$dir/node_modules/.tamna-node-$version" ]]; then
    printf '==> npm ci in %s on Node %s\n' "$dir" "$version" >&2
    (cd "$dir" && with_node "$version" npm ci --no-audit --no-fund >&2)
    touch "$dir/node_modules/.tamna-node-$version"
  fi
}

prepare 20 "$node20"
prepare 24 "$node24"

labels=("base $base on Node $node20" "base $base on Node $node24" "this tree on Node $node24")
dirs=("$out/base-node20" "$out/base-node24" "$root")
versions=("$node20" "$node24" "$node24")

run() { # run BENCH INDEX
  local bench="$1" i="$2" log
  log="$out/$bench-$i.log"
  printf '==> npm run %s — %s\n' "$bench" "${labels[$i]}" >&2
  if [[ "$bench" == bench ]]; then
    (cd "${dirs[$i]}" && with_node "${versions[$i]}" npm run --silent bench -- "${bench_flags[@]}") >"$log" 2>&1 || true
  else
    (cd "${dirs[$i]}" && with_node "${versions[$i]}" npm run --silent bench:beacon) >"$log" 2>&1 || true
  fi
}

for bench in bench bench:beacon; do
  for i in 0 1 2; do run "$bench" "$i"; done
done

printf '\nNode runtimes compared (%s), full logs in %s\n' "$(date -u +%FT%TZ)" "$out"
for bench in bench bench:beacon; do
  for i in 0 1 2; do
    printf '\n== npm run %s — %s\n' "$bench" "${labels[$i]}"
    grep -E 'page warm|p99 .*p99|median|RSS|^  baseline|^  beacon|article pages meanwhile|throughput|stored after|^(PASS|FAIL)|^  - ' \
      "$out/$bench-$i.log" || tail -n 20 "$out/$bench-$i.log"
  done
done
