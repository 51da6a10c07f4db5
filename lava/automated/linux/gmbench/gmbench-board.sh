#!/bin/sh
# gmbench-board.sh OUTDIR — what board this is: device-tree model and compatible, SoC,
# CPU cores, kernel, firmware, OS, and whether it is emulated.  Writes OUTDIR/board.json
# and OUTDIR/board.txt (the same as "key: value").  POSIX sh; every field that cannot be
# read says so instead of being left out.  GM_SYSROOT (tests only) reads /proc, /sys and
# /etc under another root.
set -u
[ $# -eq 1 ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
out=$1
R=${GM_SYSROOT:-}
mkdir -p "$out" || exit 1

rd() { [ -r "$R$1" ] && tr -d '\000' <"$R$1" 2>/dev/null | head -c 400; }
rdlist() { [ -r "$R$1" ] && tr '\000' ',' <"$R$1" 2>/dev/null | sed 's/,$//' | head -c 400; }
first() { for v; do [ -n "$v" ] && { printf '%s' "$v"; return; }; done; }

model=$(first "$(rd /proc/device-tree/model)" "$(rd /sys/firmware/devicetree/base/model)")
compatible=$(first "$(rdlist /proc/device-tree/compatible)" "$(rdlist /sys/firmware/devicetree/base/compatible)")
dmi_vendor=$(rd /sys/class/dmi/id/sys_vendor)
dmi_product=$(rd /sys/class/dmi/id/product_name)
[ -n "$model" ] || model=$(printf '%s %s' "$dmi_vendor" "$dmi_product" | sed 's/^ *//; s/ *$//')
[ -n "$model" ] || model="unknown (no device-tree model, no DMI product name)"

soc=""
if [ -r "$R/sys/devices/soc0/machine" ] || [ -r "$R/sys/devices/soc0/family" ]; then
	soc=$(printf '%s %s %s rev %s' "$(rd /sys/devices/soc0/family)" "$(rd /sys/devices/soc0/machine)" \
		"$(rd /sys/devices/soc0/soc_id)" "$(rd /sys/devices/soc0/revision)" | tr -s ' ' | sed 's/ rev $//; s/^ //')
fi
hw=$(sed -n 's/^Hardware[ \t]*: *//p' "$R/proc/cpuinfo" 2>/dev/null | head -n1)
[ -n "$soc" ] || soc=$hw
# the SoC's name is usually the second compatible string ("brcm,bcm2711")
[ -n "$soc" ] || soc=$(printf '%s' "$compatible" | awk -F, '{ for (i = 1; i <= NF; i++) if ($i ~ /^(brcm|rockchip|allwinner|amlogic|qcom|nvidia|mediatek|samsung|ti|nxp|fsl|st|marvell|hisilicon|xlnx|sifive|starfive)$/ && i < NF) { print $i "," $(i + 1); exit } }')
[ -n "$soc" ] || soc="unknown (no /sys/devices/soc0, no Hardware line, no known vendor in the compatible list)"

# CPU cores: "implementer:part" per distinct core, named where we know the part.
cores=$(awk -F: '
	function t(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
	/^CPU implementer/ { impl = t($2) }
	/^CPU part/ { part = t($2); k = impl ":" part; if (!(k in n)) order[++m] = k; n[k]++ }
	/^model name/ && !x86 { name = t($2); if (!(name in nn)) xorder[++xm] = name; nn[name]++ }
	END {
		names["0x41:0xc07"] = "Cortex-A7"; names["0x41:0xc08"] = "Cortex-A8"; names["0x41:0xc09"] = "Cortex-A9"
		names["0x41:0xc0f"] = "Cortex-A15"; names["0x41:0xc0e"] = "Cortex-A17"; names["0x41:0xd03"] = "Cortex-A53"
		names["0x41:0xd04"] = "Cortex-A35"; names["0x41:0xd05"] = "Cortex-A55"; names["0x41:0xd07"] = "Cortex-A57"
		names["0x41:0xd08"] = "Cortex-A72"; names["0x41:0xd09"] = "Cortex-A73"; names["0x41:0xd0a"] = "Cortex-A75"
		names["0x41:0xd0b"] = "Cortex-A76"; names["0x41:0xd0c"] = "Neoverse-N1"; names["0x41:0xd0d"] = "Cortex-A77"
		names["0x41:0xd40"] = "Neoverse-V1"; names["0x41:0xd41"] = "Cortex-A78"; names["0x41:0xd44"] = "Cortex-X1"
		names["0x41:0xd46"] = "Cortex-A510"; names["0x41:0xd47"] = "Cortex-A710"; names["0x41:0xd48"] = "Cortex-X2"
		names["0x41:0xd49"] = "Neoverse-N2"; names["0x41:0xd4f"] = "Neoverse-V2"; names["0x41:0xd4d"] = "Cortex-A715"
		names["0x41:0xd4b"] = "Cortex-A78C"; names["0x41:0xd4e"] = "Cortex-X3"; names["0x41:0xd80"] = "Cortex-A520"
		names["0x41:0xd81"] = "Cortex-A720"; names["0x41:0xd82"] = "Cortex-X4"; names["0x41:0xd0e"] = "Cortex-A76AE"
		names["0x4e:0x004"] = "NVIDIA Carmel"; names["0xc0:0xac3"] = "Ampere-1"; names["0xc0:0xac4"] = "Ampere-1a"
		s = ""
		for (i = 1; i <= m; i++) {
			k = order[i]
			# implementer 0 is no vendor: QEMU TCG (-cpu max) reports it
			nm = (k in names) ? names[k] : (k ~ /^0x00:/ ? "QEMU TCG CPU (implementer 0x00, part " substr(k, 6) ")" : "part " k)
			s = s (s ? ", " : "") n[k] " x " nm
		}
		if (s == "") for (i = 1; i <= xm; i++) s = s (s ? ", " : "") nn[xorder[i]] " x " xorder[i]
		print s
	}' "$R/proc/cpuinfo" 2>/dev/null)
[ -n "$cores" ] || cores="unknown (no CPU part or model name in /proc/cpuinfo)"

if [ -n "$R" ]; then kernel=$(rd /proc/version); else kernel=$(uname -srvm 2>/dev/null); fi
cmdline=$(rd /proc/cmdline)

# Firmware: U-Boot writes its version into /chosen; the Raspberry Pi firmware has
# vcgencmd and /chosen/bootloader; UEFI machines show /sys/firmware/efi and DMI.
fw=""
ub=$(first "$(rd /proc/device-tree/chosen/u-boot,version)" "$(rd /sys/firmware/devicetree/base/chosen/u-boot,version)")
[ -n "$ub" ] && fw="u-boot: $ub"
if [ -z "$R" ] && command -v vcgencmd >/dev/null 2>&1; then
	v=$(vcgencmd version 2>/dev/null | tr '\n' ' ' | tr -s ' ')
	[ -n "$v" ] && fw="${fw:+$fw; }raspberrypi firmware: $v"
fi
rpib=$(rd /proc/device-tree/chosen/bootloader/version)
[ -n "$rpib" ] && fw="${fw:+$fw; }raspberrypi bootloader: $rpib"
bios=$(printf '%s %s %s' "$(rd /sys/class/dmi/id/bios_vendor)" "$(rd /sys/class/dmi/id/bios_version)" "$(rd /sys/class/dmi/id/bios_date)" | tr -s ' ' | sed 's/^ //; s/ $//')
[ -n "$bios" ] && fw="${fw:+$fw; }bios: $bios"
[ -d "$R/sys/firmware/efi" ] && fw="${fw:+$fw; }booted through UEFI"
[ -n "$fw" ] || fw="unknown (no u-boot,version in /chosen, no vcgencmd, no DMI BIOS, no EFI)"

os=$(sed -n 's/^PRETTY_NAME=//p' "$R/etc/os-release" 2>/dev/null | tr -d '"' | head -n1)
[ -n "$os" ] || os=unknown

# Emulated?  QEMU's virt machine is "linux,dummy-virt"; DMI names QEMU on x86 and UEFI guests.
emulated=no
case ",$compatible," in *,linux,dummy-virt,*) emulated="yes: qemu-system (device tree compatible linux,dummy-virt)" ;; esac
case "$dmi_vendor $dmi_product" in *QEMU*) emulated="yes: qemu-system (DMI: $dmi_vendor $dmi_product)" ;; esac
if [ "$emulated" = no ] && grep -q '^flags.* hypervisor' "$R/proc/cpuinfo" 2>/dev/null; then
	emulated="virtual machine (cpuinfo hypervisor flag): hardware-assisted, not emulated"
fi
host=$(if [ -n "$R" ]; then rd /etc/hostname; else hostname 2>/dev/null; fi)

jstr() { printf '%s' "$1" | awk 'BEGIN { ORS = "" } { gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\t/, "\\t"); gsub(/[\001-\037]/, "?"); if (NR > 1) print "\\n"; print }'; }
tmp=$out/.board.json.tmp
{
	echo "{"
	printf '  "model": "%s",\n' "$(jstr "$model")"
	printf '  "compatible": "%s",\n' "$(jstr "$compatible")"
	printf '  "soc": "%s",\n' "$(jstr "$soc")"
	printf '  "cores": "%s",\n' "$(jstr "$cores")"
	printf '  "kernel": "%s",\n' "$(jstr "$kernel")"
	printf '  "cmdline": "%s",\n' "$(jstr "$cmdline")"
	printf '  "firmware": "%s",\n' "$(jstr "$fw")"
	printf '  "os": "%s",\n' "$(jstr "$os")"
	printf '  "hostname": "%s",\n' "$(jstr "$host")"
	printf '  "emulated": "%s",\n' "$(jstr "$emulated")"
	printf '  "recorded": "%s"\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
	echo "}"
} >"$tmp" && mv "$tmp" "$out/board.json" || exit 1
{
	echo "model: $model"
	echo "compatible: $compatible"
	echo "soc: $soc"
	echo "cores: $cores"
	echo "kernel: $kernel"
	echo "firmware: $fw"
	echo "os: $os"
	echo "emulated: $emulated"
} >"$out/board.txt"
