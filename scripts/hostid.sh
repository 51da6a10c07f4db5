#!/bin/sh
# scripts/hostid.sh ARCH [RUN] — the folder name of this machine's results:
# <hostname>[-<board model>]-<ARCH>[-qemu], with anything odd turned into '-'.
# RUN non-empty (an emulator prefix) marks emulated runs, which never mix with hardware.
host=$(hostname 2>/dev/null || echo host)
model=$( { tr -d '\0' </proc/device-tree/model; } 2>/dev/null || true)
[ -n "$model" ] && host="$host-$model"
id=$(printf '%s-%s' "$host" "$1" | tr -c 'A-Za-z0-9._-' '-' | sed 's/--*/-/g; s/-$//')
[ -n "${2:-}" ] && id="$id-qemu"
echo "$id"
