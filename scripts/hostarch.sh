#!/bin/sh
# scripts/hostarch.sh — the port that runs natively here: amd64, arm or arm64.
# The userland decides, not the kernel: Raspberry Pi OS 32-bit on a 64-bit kernel says
# aarch64 in uname but builds and runs armhf programs.
a=$(dpkg --print-architecture 2>/dev/null || true)
[ -n "$a" ] || a=$({ cc -dumpmachine || gcc -dumpmachine; } 2>/dev/null | cut -d- -f1)
[ -n "$a" ] || a=$(uname -m)
case $a in
amd64|x86_64) echo amd64 ;;
arm64|aarch64) echo arm64 ;;
armhf|arm|armv7*|armv8l) echo arm ;;
*) echo "$a" ;;
esac
