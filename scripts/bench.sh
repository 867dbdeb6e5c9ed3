#!/usr/bin/env bash
# make bench: deterministic measurements under QEMU icount (1 instruction = 16 ns,
# 1 generic-timer tick = 1 instruction), each against a bare-metal baseline run
# in the same invocation. Writes build/bench/report.md (see docs/bench.md).
#
# Part 1: the interrupt-latency probes (guests/probe, guests/probe-riscv64):
# the same image bare on QEMU and as a VM under Baohu, min/median/max over 200
# samples, on every platform in BENCH_PROBE_PLATFORMS, plus EL2 instructions per
# exit by cause from QEMU's execution log (scripts/bench-el2trace.py).
# Part 2: the older measurements (timer latency of the test guest, IPC, VM build).
set -euo pipefail
cd "$(dirname "$0")/.."
PLATFORM=${PLATFORM:-qemu-aarch64-virt}
out=build/bench
mkdir -p "$out"
ICOUNT="-icount shift=4,sleep=off"

# QEMU with a time limit; it is stopped early once every extended regex of
# $UNTIL (separated by "&&") has appeared in its output (default: "probe done").
run() { # name, seconds, qemu args...
    local name=$1 secs=$2 pid pat done
    shift 2
    local -a until_pats
    mapfile -t until_pats < <(printf '%s\n' "${UNTIL:-probe done}" | sed 's/&&/\n/g')
    # Emptied here, not by the redirection below: that happens in the child,
    # maybe after the first look for the patterns in the last run's log.
    : > "$out/$name.log"
    # timeout forwards the TERM sent to it below to QEMU.
    timeout --kill-after=5 "$secs" "$@" < /dev/null > "$out/$name.log" 2>&1 &
    pid=$!
    while kill -0 "$pid" 2> /dev/null; do
        done=1
        for pat in "${until_pats[@]}"; do
            grep -aqE -- "$pat" "$out/$name.log" || { done=0; break; }
        done
        if [ $done = 1 ]; then sleep 0.2; kill -TERM "$pid" 2> /dev/null || true; break; fi
        sleep 0.2
    done
    wait "$pid" 2> /dev/null || true
    tr -d '\r' < "$out/$name.log" > "$out/$name.txt"
}

PY=$(command -v /usr/bin/python3 || command -v python3)
fail() { echo "bench: $*" >&2; exit 1; }

# BENCH_ONLY="workload ipc" (spaces or commas) runs only those sections, of:
# probes el2 boot size workload ipc scale other. Default: all of them.
only() { [ -z "${BENCH_ONLY:-}" ] && return 0; [[ " ${BENCH_ONLY//,/ } " == *" $1 "* ]]; }
figures=()  # "key value" lines, compared against bench/baseline.md
fig() { figures+=("$1 $2"); }
us2insn() { awk -v u="$1" 'BEGIN { printf "%d", u * 1000 / 16 }'; }
# The report, one section at a time (only those that ran).
sections=()
section() { sections+=("$1"); }

# ---- Part 1: interrupt-latency probes --------------------------------------
PROBE_PLATFORMS=${BENCH_PROBE_PLATFORMS:-qemu-aarch64-virt qemu-aarch64-virt-gicv2 qemu-riscv64-virt qemu-riscv64-virt-aia}
OPENSBI_DYN=/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf

# The probe alone on QEMU: no EL2 / no hypervisor, QEMU (Arm: PSCI over HVC, as
# the virt DT's psci node says without virtualization=on) or OpenSBI (RISC-V)
# as firmware; the same machine otherwise.
bare_qemu() { # platform
    case $1 in
    qemu-aarch64-virt) echo "qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a53 -smp 2 -m 256M" ;;
    qemu-aarch64-virt-gicv2) echo "qemu-system-aarch64 -M virt,gic-version=2 -cpu cortex-a53 -smp 2 -m 256M" ;;
    qemu-riscv64-virt) echo "qemu-system-riscv64 -M virt -cpu rv64 -smp 2 -m 256M -bios $OPENSBI_DYN" ;;
    # aia-guests=0: the S-level interrupt files are then 4 KiB apart, as the VM sees its own.
    qemu-riscv64-virt-aia) echo "qemu-system-riscv64 -M virt,aia=aplic-imsic -cpu rv64 -smp 2 -m 256M -bios $OPENSBI_DYN" ;;
    *) fail "no bare-metal QEMU command for $1" ;;
    esac
}

# "min median max" of probe <name> in <log>; empty if the probe printed none.
probe_val() { # log name
    sed -n "s/.*probe $2: n=[0-9]* min=\([0-9]*\) median=\([0-9]*\) max=\([0-9]*\).*/\1 \2 \3/p;T;q" \
        "$out/$1.txt" 2> /dev/null || true
}

# A probe run that ends without "probe done" is run once more (QEMU's round-robin
# of CPUs under icount still depends a little on host timing, and rare
# interleavings have been seen to stall a boot); the first log is kept and the
# report says so. A second failure fails the bench (see row).
notes=()
probe_run() { # name, seconds, qemu args...
    local name=$1
    run "$@"
    grep -aq "probe done" "$out/$name.txt" && return
    mv "$out/$name.txt" "$out/$name.attempt1.txt"
    echo "bench: $name ended without 'probe done' (log: $out/$name.attempt1.txt); running it again" >&2
    notes+=("- $name ended without a result the first time (log kept: $out/$name.attempt1.txt) and was run again.")
    run "$@"
}

rows=()
row() { # label, bare log, baohu log, probe name, target (added instructions, or -)
    local b v added tgt
    b=$(probe_val "$2" "$4"); v=$(probe_val "$3" "$4")
    [ -n "$b" ] || fail "probe '$4' printed no result in $out/$2.txt"
    [ -n "$v" ] || fail "probe '$4' printed no result in $out/$3.txt"
    added=$(( $(echo "$v" | cut -d' ' -f2) - $(echo "$b" | cut -d' ' -f2) ))
    if [ "$5" = - ]; then tgt=-
    elif [ "$added" -le "$5" ]; then tgt="<= +$5: met"
    else tgt="<= +$5: **missed**"; fi
    rows+=("| $1 | ${b// / \/ } | ${v// / \/ } | +$added | $tgt |")
    plot "$1" "$2" "$3" "$4"
}

# A PNG of one probe's distribution, bare and under Baohu (the probes print
# "probe hist <name>: value:count ..." lines), if gnuplot is there.
plots=()
plot() { # label, bare log, baohu log, probe name
    command -v gnuplot > /dev/null || return 0
    local slug f
    slug=$(echo "$3-$4" | sed 's/[^A-Za-z0-9]\+/-/g')
    for f in "$2" "$3"; do
        grep -a "probe hist $4:" "$out/$f.txt" | sed "s/.*probe hist $4://" | tr ' ' '\n' |
            awk -F: 'NF == 2 {print $1, $2}' > "$out/hist-$f-$4.dat"
    done
    [ -s "$out/hist-$3-$4.dat" ] || return 0
    gnuplot <<GP 2> /dev/null || return 0
set terminal pngcairo size 800,360 noenhanced
set output "$out/plot-$slug.png"
set title "$1 (200 samples)"
set xlabel "instructions"
set ylabel "samples (log)"
set logscale y
set yrange [0.8:300]
plot "$out/hist-$2-$4.dat" using 1:2 with impulses lw 3 title "bare", \
     "$out/hist-$3-$4.dat" using 1:2 with impulses lw 3 title "under Baohu"
GP
    [ -s "$out/plot-$slug.png" ] && plots+=("- $1: ![$1](plot-$slug.png)")
}

only probes && for p in $PROBE_PLATFORMS; do
    for c in bench-ipi bench-timer; do make -s PLATFORM=$p CONFIG=$c >/dev/null; done
    pq=$(make -s PLATFORM=$p CONFIG=bench-ipi print-qemu)
    probe_run "probe-bare-$p" 60 $(bare_qemu $p) -nographic -nic none $ICOUNT \
        -kernel "build/$p-clang/guests/probe.elf"
    probe_run "probe-ipi-$p" 60 $pq $ICOUNT -kernel "build/$p-clang/bench-ipi/baohu.elf"
    probe_run "probe-timer-$p" 60 $pq $ICOUNT -kernel "build/$p-clang/bench-timer/baohu.elf"
    case $p in
    qemu-aarch64-virt)
        row "IPI vCPU 0 -> vCPU 1, GICv3 ICC_SGI1R_EL1" probe-bare-$p probe-ipi-$p ipi 500
        row "virtual timer lateness, GICv3, 1-vCPU VM alone" probe-bare-$p probe-timer-$p timer 150 ;;
    qemu-aarch64-virt-gicv2)
        row "IPI vCPU 0 -> vCPU 1, GICv2 GICD_SGIR" probe-bare-$p probe-ipi-$p ipi -
        row "virtual timer lateness, GICv2, 1-vCPU VM alone" probe-bare-$p probe-timer-$p timer - ;;
    qemu-riscv64-virt*)
        row "IPI hart 0 -> hart 1, SBI send_ipi ($p)" probe-bare-$p probe-ipi-$p ipi-sbi -
        [ $p = qemu-riscv64-virt-aia ] &&
            row "IPI hart 0 -> hart 1, MSI into the peer's interrupt file ($p)" \
                probe-bare-$p probe-ipi-$p ipi-imsic -
        row "stimecmp timer lateness, 1-vCPU VM alone ($p)" probe-bare-$p probe-timer-$p timer - ;;
    esac
done

# EL2 instructions per exit: the GICv3 IPI config (its vCPU 0 runs the timer probe
# first, then sends; vCPU 1 receives), once, with QEMU's exec log.
el2=""
only el2 && for p in qemu-aarch64-virt qemu-aarch64-virt-gicv2; do
    case " $PROBE_PLATFORMS " in *" $p "*) ;; *) continue ;; esac
    pq=$(make -s PLATFORM=$p CONFIG=bench-ipi print-qemu)
    sgi="0:MSR ICC_SGI1R_EL1=SGI trap (sender)"
    [ $p = qemu-aarch64-virt-gicv2 ] && sgi="0:data abort 0x8000f00=GICD_SGIR trap (sender)"
    traced=0
    for attempt in 1 2; do  # once more if it stalls, as probe_run does
        if timeout --kill-after=5 300 "$PY" scripts/bench-el2trace.py \
            --elf "build/$p-clang/bench-ipi/baohu.elf" --out "$out/el2-$p" --title "$p" \
            --name "0:IRQ=timer IRQ" --name "$sgi" --name "1:IRQ=IPI receive" \
            -- $pq $ICOUNT > /dev/null; then traced=1; break; fi
        notes+=("- the EL2 trace of $p failed on attempt $attempt.")
    done
    [ $traced = 1 ] || fail "EL2 trace of $p bench-ipi failed (see $out/el2-$p-console.txt)"
    # The log does not change icount time: the traced run must measure the same.
    [ "$(probe_val el2-$p-console ipi)" = "$(probe_val probe-ipi-$p ipi)" ] ||
        echo "bench: note: traced run of $p measured a different IPI latency" >&2
    el2+="### $p"$'\n\n'"$(cat "$out/el2-$p.md")"$'\n\n'
done

# ---- Boot: VM creation and time to the guest's first instruction -----------
# The boot probe (guests/probe, variant probe-boot: ~100 KiB image) reads the
# counter at its first instruction and before its first output; under icount the
# counter is the number of instructions executed since QEMU started, i.e. since
# Baohu's first instruction. The Linux VMs (Debian's kernel, 512 MiB) give their
# build time ("built in N us": N * 1000 / 16 instructions).
BOOT_PLATFORM=qemu-aarch64-virt
RV_BOOT_PLATFORM=qemu-riscv64-virt-aia
bootrows=()
if only boot; then
for c in bench-boot bench-boot-colour; do
    make -s PLATFORM=$BOOT_PLATFORM CONFIG=$c >/dev/null
    bq=$(make -s PLATFORM=$BOOT_PLATFORM CONFIG=$c print-qemu)
    probe_run "boot-$c" 60 $bq $ICOUNT -kernel "build/$BOOT_PLATFORM-clang/$c/baohu.elf"
    line=$(grep -a -m1 -o 'probe boot: first-insn=[0-9]* first-output=[0-9]*' "$out/boot-$c.txt" || true)
    b_us=$(grep -a -m1 -o "VM 'probe' .*built in [0-9]* us" "$out/boot-$c.txt" | awk '{print $(NF-1)}' || true)
    [ -n "$line" ] && [ -n "$b_us" ] || fail "no boot figures in $out/boot-$c.txt"
    fi_=$(echo "$line" | sed 's/.*first-insn=\([0-9]*\).*/\1/'); fo=$(echo "$line" | sed 's/.*first-output=\([0-9]*\)/\1/')
    bi=$(us2insn "$b_us")
    kind=contiguous; [ $c = bench-boot-colour ] && kind="coloured (8 of 16 colours)"
    tgt=-; [ $c = bench-boot ] && { [ "$fi_" -le 1000000 ] && tgt="<= 1 M: met" || tgt="<= 1 M: **missed**"; }
    bootrows+=("| small VM, 32 MiB, $kind | $bi | $((fi_ - bi)) | $fi_ | $fo | $tgt |")
    fig "boot.$c.build" "$bi"; fig "boot.$c.first_insn" "$fi_"; fig "boot.$c.first_output" "$fo"
    eval "b_${c//-/_}=$bi"
done
init_small=$(( fi_ - bi ))  # Baohu's start-up before the build (the same in both runs)
# The same small VM on a core with 256-byte DC ZVA blocks (DCZID_EL0.BS = 6):
# a quarter of the DC ZVA instructions.
bq=$(make -s PLATFORM=$BOOT_PLATFORM CONFIG=bench-boot CPU=a64fx print-qemu)
probe_run "boot-bench-boot-a64fx" 60 $bq $ICOUNT -kernel "build/$BOOT_PLATFORM-clang/bench-boot/baohu.elf"
line=$(grep -a -m1 -o 'probe boot: first-insn=[0-9]* first-output=[0-9]*' "$out/boot-bench-boot-a64fx.txt" || true)
b_us=$(grep -a -m1 -o "VM 'probe' .*built in [0-9]* us" "$out/boot-bench-boot-a64fx.txt" | awk '{print $(NF-1)}' || true)
if [ -n "$line" ] && [ -n "$b_us" ]; then
    fa=$(echo "$line" | sed 's/.*first-insn=\([0-9]*\).*/\1/'); fo=$(echo "$line" | sed 's/.*first-output=\([0-9]*\)/\1/')
    ba=$(us2insn "$b_us")
    [ "$fa" -le 1000000 ] && tgt="<= 1 M: met" || tgt="<= 1 M: **missed**"
    bootrows+=("| small VM, 32 MiB, contiguous, \`CPU=a64fx\` (256-byte DC ZVA blocks) | $ba | $((fa - ba)) | $fa | $fo | $tgt |")
    fig "boot.bench-boot-a64fx.build" "$ba"; fig "boot.bench-boot-a64fx.first_insn" "$fa"
else
    notes+=("- the a64fx boot run gave no figures (log: $out/boot-bench-boot-a64fx.txt).")
fi
linux_ok=1
for c in bench-linux bench-linux-colour; do
    if ! make -s PLATFORM=$BOOT_PLATFORM CONFIG=$c >/dev/null 2>&1; then
        linux_ok=0; notes+=("- $c could not be built (Debian's arm64 kernel: scripts/guest-linux.sh fetch); no Linux boot rows."); break
    fi
    bq=$(make -s PLATFORM=$BOOT_PLATFORM CONFIG=$c print-qemu)
    UNTIL='Booting Linux' run "boot-$c" 120 $bq $ICOUNT -kernel "build/$BOOT_PLATFORM-clang/$c/baohu.elf"
    b_us=$(grep -a -m1 -o "VM 'linux' .*built in [0-9]* us" "$out/boot-$c.txt" | awk '{print $(NF-1)}' || true)
    [ -n "$b_us" ] || fail "no build line in $out/boot-$c.txt"
    bi=$(us2insn "$b_us")
    kind=contiguous; [ $c = bench-linux-colour ] && kind="coloured (12 of 16 colours)"
    seen=no; grep -aq 'Booting Linux' "$out/boot-$c.txt" && seen=yes
    tgt="<= 12 M: met"; [ $((bi + init_small)) -le 12000000 ] || tgt="<= 12 M: **missed**"
    [ $c = bench-linux-colour ] && { [ "$bi" -le $((2 * b_bench_linux)) ] && tgt="<= 2x contiguous: met" || tgt="<= 2x contiguous: **missed**"; }
    bootrows+=("| Linux VM, 512 MiB (40 MiB image), $kind | $bi | ~$init_small | ~$((bi + init_small)) | printed: $seen | $tgt |")
    fig "boot.$c.build" "$bi"
    eval "b_${c//-/_}=$bi"
done
# RISC-V: the demo VMs' build lines (rtos 16 MiB, app 64 MiB; built at the same
# time on their own harts, so each figure also holds the other hart's
# instructions), contiguous and coloured.
rvrows=()
for c in demo colour; do
    make -s PLATFORM=$RV_BOOT_PLATFORM CONFIG=$c >/dev/null
    rq=$(make -s PLATFORM=$RV_BOOT_PLATFORM CONFIG=$c print-qemu)
    UNTIL="VM 'rtos' .*built in [0-9]+ us&&VM 'app' .*built in [0-9]+ us" \
        run "boot-rv-$c" 60 $rq $ICOUNT -kernel "build/$RV_BOOT_PLATFORM-clang/$c/baohu.elf"
    for vm in rtos app; do
        u=$(grep -a -m1 -o "VM '$vm' .*built in [0-9]* us" "$out/boot-rv-$c.txt" | awk '{print $(NF-1)}' || true)
        [ -n "$u" ] || fail "no build line for $vm in $out/boot-rv-$c.txt"
        mib=16; [ $vm = app ] && mib=64
        rvrows+=("| $vm, $mib MiB, $([ $c = demo ] && echo contiguous || echo coloured) | $(us2insn "$u") | $(( $(us2insn "$u") / mib )) |")
        fig "boot.rv.$c.$vm.build" "$(us2insn "$u")"
    done
done
rv_table=$(printf '%s\n' "${rvrows[@]}")
per_mib() { awk -v a="$1" -v m="$2" 'BEGIN { printf "%d", a / m }'; }
costrows=("| zero (ST1, 64 bytes an instruction, through the non-cacheable alias; small VM build / 32) | $(per_mib "$b_bench_boot" 32) |"
          "| zero + colour (runs of pages of 8 colours, stage-2 check per page; coloured small VM / 32) | $(per_mib "$b_bench_boot_colour" 32) |")
[ $linux_ok = 1 ] && costrows+=("| Linux VM build / 512 (zero 472 MiB + copy 40 MiB, LD1/ST1) | $(per_mib "$b_bench_linux" 512) |"
                                "| coloured Linux VM build / 512 | $(per_mib "$b_bench_linux_colour" 512) |")
boot_table=$(printf '%s\n' "${bootrows[@]}"); cost_table=$(printf '%s\n' "${costrows[@]}")
fi
for r in "${rows[@]}"; do  # the probe medians go into the comparison too
    k=$(echo "$r" | cut -d'|' -f2 | sed 's/^ *//; s/ *$//; s/[^A-Za-z0-9]\+/_/g')
    fig "probe.$k.median" "$(echo "$r" | cut -d'|' -f4 | awk -F/ '{gsub(/ /,"",$2); print $2}')"
done

# ---- Size: source lines and image sections per platform ---------------------
sizerows=()
sloc_table=""
if only size; then
size_platforms=${BENCH_SIZE_PLATFORMS:-qemu-aarch64-virt qemu-riscv64-virt-aia}
for p in $size_platforms; do
    case $p in *riscv*) arch=riscv64; cross=riscv64-linux-gnu- ;; *) arch=aarch64; cross=aarch64-linux-gnu- ;; esac
    for tc in clang gcc; do
        cc=""; [ $tc = gcc ] && cc="CROSS_COMPILE=$cross"
        make -s PLATFORM=$p CONFIG=demo $cc >/dev/null
        e=build/$p-$tc/demo/baohu.elf
        read -r text data bss < <(llvm-size --format=sysv "$e" | awk '
            $1 ~ /^\.text/ {t += $2} $1 ~ /^\.rodata/ {r += $2} $1 ~ /^\.s?data/ {d += $2}
            $1 ~ /^\.(s?bss|stacks)/ {b += $2}
            END {print t + 0 "+" r + 0, d + 0, b + 0}')
        llvm-objcopy -O binary "$e" "$out/size.bin"
        raw=$(stat -c %s "$out/size.bin")
        sizerows+=("| $p | $tc | ${text%+*} | ${text#*+} | $data | $bss | $raw |")
        fig "size.$p.$tc.raw" "$raw"
    done
done
size_table=$(printf '%s\n' "${sizerows[@]}")
sloc_table=""
if command -v cloc > /dev/null; then
    for p in $size_platforms; do
        case $p in *riscv*) arch=riscv64 ;; *) arch=aarch64 ;; esac
        for d in src/core src/arch/$arch src/platform/$p src/drivers include; do
            n=$(cloc --quiet --csv "$d" 2>/dev/null | awk -F, '$2 == "SUM" {print $5}')
            sloc_table+="| $p | $d | ${n:-0} |"$'\n'
        done
    done
else
    notes+=("- cloc is not installed (scripts/ensure-tools.sh bench): no SLoC table.")
fi
fi

# ---- Part 2: the older measurements ---------------------------------------
# (Arm only: its bare-metal run is the Arm test guest.)
case $PLATFORM in qemu-aarch64-*) ;; *) BENCH_ONLY_OTHER_SKIP=1 ;; esac
if only other && [ -z "${BENCH_ONLY_OTHER_SKIP:-}" ]; then
for c in bench bench-alone ipc demo colour; do make -s PLATFORM=$PLATFORM CONFIG=$c >/dev/null; done
qemu=$(make -s PLATFORM=$PLATFORM CONFIG=bench print-qemu)
elf() { echo "build/$PLATFORM-clang/$1/baohu.elf"; }
guests="build/$PLATFORM-clang/guests"

# Bare metal: the same probe at EL1 with no hypervisor (QEMU answers PSCI itself).
UNTIL='timer irq latency: avg [0-9]+ ' run bare 30 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a53 -smp 1 -m 256M \
    -nographic -nic none $ICOUNT -kernel "$guests/latency-bare.elf"
UNTIL='timer irq latency: avg [0-9]+ ' run baohu-alone 60 $qemu $ICOUNT -kernel "$(elf bench-alone)"
UNTIL='timer irq latency: avg [0-9]+ ' run baohu 60 $qemu $ICOUNT -kernel "$(elf bench)"
UNTIL='ipc round trip: [0-9]+ &&ipc ping: [0-9]+/[0-9]+ ' run ipc 60 $qemu $ICOUNT -kernel "$(elf ipc)"
built_both="VM 'rtos' .*built in [0-9]+ us&&VM 'app' .*built in [0-9]+ us"
UNTIL=$built_both run demo 30 $qemu $ICOUNT -kernel "$(elf demo)"
UNTIL=$built_both run colour 30 $qemu $ICOUNT -kernel "$(elf colour)"

# (|| true: with pipefail a missing line would end the script before the check below says which.)
lat() { grep -m1 -o 'timer irq latency: avg [0-9]*' "$out/$1.txt" | awk '{print $5}' || true; }
built() { grep -m1 -o "VM '$2' .*built in [0-9]* us" "$out/$1.txt" | awk '{print $(NF-1)}' || true; }
bare=$(lat bare); alone=$(lat baohu-alone); virt=$(lat baohu)
rt=$(grep -m1 -o 'ipc round trip: [0-9]*' "$out/ipc.txt" | awk '{print $4}' || true)
ok=$(grep -m1 -o 'ipc ping: [0-9]*/[0-9]*' "$out/ipc.txt" | awk '{print $3}' || true)
d_rtos=$(built demo rtos); d_app=$(built demo app); c_rtos=$(built colour rtos); c_app=$(built colour app)
for v in bare alone virt rt ok d_rtos d_app c_rtos c_app; do
    [ -n "${!v}" ] || { echo "bench: no result for $v (see $out/*.txt)" >&2; exit 1; }
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
fi

probe_table=$(printf '%s\n' "${rows[@]}")
probe_notes=""
[ ${#notes[@]} -eq 0 ] || probe_notes=$'\n'"$(printf '%s\n' "${notes[@]}")"$'\n'
if only probes; then section "$(cat <<SECTION
## Interrupt latency, bare metal vs under Baohu

The same probe image (guests/probe, guests/probe-riscv64) bare on QEMU and as the
only VM under Baohu; 200 samples each; the receiving CPU busy-polls with
interrupts unmasked (no WFI). Timer: counter at the IRQ vector - deadline. IPI:
counter at the receiver's IRQ vector - counter read by the sender just before
its send instruction (all CPUs share one instruction clock under icount).
Added = median under Baohu - median bare.

| measurement | bare min / median / max | Baohu min / median / max | added | target |
|---|---|---|---|---|
$probe_table
Distributions (build/bench/plot-*.png; value:count pairs in build/bench/hist-*.dat):

$(printf '%s\n' "${plots[@]}")
SECTION
)"; fi
if only el2; then section "$(cat <<SECTION
## EL2 instructions per exit (QEMU exec log)

Every Baohu instruction executed between an exception taken to EL2 and its
ERET, attributed to the function its translated block starts in. The timer
and IPI rows should add up to the added latencies above. Median exits
function by function: build/bench/el2-<platform>-<cause>.txt.

$el2
SECTION
)"; fi
if only boot; then section "$(cat <<SECTION
## Boot ($BOOT_PLATFORM, cortex-a53: 64-byte DC ZVA blocks, so zeroing is ST1)

Instructions (icount). Build: Baohu's "built in" line (stage 2, zeroing, image
copy, colour check). Init: from Baohu's first instruction to the start of the
build (MMU, GIC, console, starting the other CPUs). First instruction / first
output: the boot probe's counter readings (for Linux: init + build; its first
output comes from Linux's own start-up, which this does not time).

| VM | build | init | first guest instruction | first output | target |
|---|---|---|---|---|---|
$boot_table

Cost per MiB of VM RAM (instructions):

| what | per MiB |
|---|---|
$cost_table

RISC-V ($RV_BOOT_PLATFORM): the demo's two VMs, built at the same time
(64-bit stores, 256 per loop; no Zicboz, see docs/bench.md). rtos is built
first and its guest then runs beside app's build, so app's figure also holds
rtos's guest instructions: rtos's per-MiB figure is the zeroing cost.

| VM | build (instructions) | per MiB |
|---|---|---|
$rv_table
SECTION
)"; fi
if only size; then section "$(cat <<SECTION
## Size (demo config)

| platform | toolchain | text | rodata | data | bss (+ stacks) | raw image (bytes) |
|---|---|---|---|---|---|---|
$size_table

Source lines (cloc, code only; whole directories, so an arch directory counts
both interrupt-controller variants):

| platform | directory | SLoC |
|---|---|---|
$sloc_table
SECTION
)"; fi
if only other && [ -z "${BENCH_ONLY_OTHER_SKIP:-}" ]; then section "$(cat <<SECTION
## Other measurements ($PLATFORM)

Counter ticks = guest instructions under icount (62.5 MHz timer, 16 ns per instruction).

| measurement | bare metal | under Baohu | ratio |
|---|---|---|---|
| timer interrupt latency, avg (ticks), rtos the only VM | $bare | $alone | $(ratio "$alone" "$bare") |
| timer interrupt latency, avg (ticks), rtos beside the 3-vCPU app VM | $bare | $virt | $(ratio "$virt" "$bare") |
| IPC round trip app->rtos->app (ticks, $ok) | - | $rt | - |
| VM build, rtos 16 MiB (us) | - | $d_rtos (contiguous) / $c_rtos (coloured) | $(ratio "$c_rtos" "$d_rtos") |
| VM build, app 64 MiB (us) | - | $d_app (contiguous) / $c_app (coloured) | $(ratio "$c_app" "$d_app") |

Timer latency: deadline to the guest's handler, vCPU busy-polling (WFI wake-up is
distorted under icount). The extra cost under Baohu alone is the EL2 exit,
list-register injection and return. Beside another VM the figure also holds QEMU's
round-robin of all CPUs on one thread under icount (a CPU's interrupt waits for its
turn), an emulator artefact rather than interference on hardware. VM build: zeroing RAM, mapping it and copying the image; a
coloured VM is mapped page by page from pages of its colours.
SECTION
)"; fi
# ---- Workload overhead (guests/workload) -------------------------------------
# The benchmark programs bare (the same image at the same address, one CPU),
# alone under Baohu, beside two streaming VMs, and both coloured; each run ends
# at its "workload done" line (the streamers never stop).
WORK_PLATFORMS=${BENCH_WORK_PLATFORMS:-qemu-aarch64-virt qemu-riscv64-virt-aia}
WORK_CONFIGS="bench-work bench-work-interf bench-work-col bench-work-interf-col"
work_name() { case $1 in bench-work) echo solo ;; bench-work-interf) echo interf ;;
    bench-work-col) echo solo-col ;; bench-work-interf-col) echo interf-col ;; esac; }
if only workload; then
    worktext=""
    : > "$out/work-figures.txt"
    for p in $WORK_PLATFORMS; do
        for c in $WORK_CONFIGS; do make -s PLATFORM=$p CONFIG=$c >/dev/null; done
        wq=$(make -s PLATFORM=$p CONFIG=bench-work print-qemu)
        UNTIL='workload done' run "work-bare-$p" 60 $(bare_qemu $p | sed 's/-smp 2/-smp 1/') \
            -nographic -nic none $ICOUNT -kernel "build/$p-clang/guests/workload.elf"
        logs=(--log "bare=$out/work-bare-$p.txt")
        for c in $WORK_CONFIGS; do
            UNTIL='workload done' run "work-$c-$p" 120 $wq $ICOUNT -kernel "build/$p-clang/$c/baohu.elf"
            grep -aq 'workload done' "$out/work-$c-$p.txt" ||
                notes+=("- workload $c on $p did not finish (log: $out/work-$c-$p.txt).")
            logs+=(--log "$(work_name $c)=$out/work-$c-$p.txt")
        done
        tbl=$("$PY" scripts/bench-workload.py --platform "$p" --figures "$out/work-figures.txt" \
            --dat "$out/work-$p.dat" "${logs[@]}") || fail "no workload results in $out/work-bare-$p.txt"
        worktext+="### $p"$'\n\n'"$tbl"$'\n\n'
        if command -v gnuplot > /dev/null && gnuplot <<GP 2> /dev/null; then
set terminal pngcairo size 900,420 noenhanced
set output "$out/plot-workload-$p.png"
set title "Workload run time relative to bare, $p (QEMU icount: no caches modelled)"
set ylabel "run time / bare"
set style data histograms
set style histogram clustered gap 1
set style fill solid border -1
set xtics rotate by -30
set yrange [0.995:*]
set key outside right
plot "$out/work-$p.dat" using 2:xtic(1) title "solo", '' using 3 title "interf", \
     '' using 4 title "solo-col", '' using 5 title "interf-col"
GP
            [ -s "$out/plot-workload-$p.png" ] && worktext+="![workload overhead, $p](plot-workload-$p.png)"$'\n\n'
        fi
    done
    while read -r k v; do fig "$k" "$v"; done < "$out/work-figures.txt"
    section "$(cat <<SECTION
## Workload overhead (guests/workload)

Our own benchmark programs (guests/workload, written for Baohu in the spirit of
the automotive subset of the common embedded suites): basic math (integer and
floating-point polynomials, a cubic's root by Newton, integer square roots,
angle conversions), bit counting (five methods, checked against each other),
quicksort, and a USAN-area corner/edge filter over a synthetic image; each with
a small and a large input, a 1 kHz guest timer tick running throughout. The
image runs bare (QEMU without Baohu, the same binary at the same address, one
CPU) and as an 8 MiB VM on CPU 0: alone (solo), beside two VMs on CPUs 1 and 2
that stream over a 512 KiB array at a 64-byte stride (interf), and both with
colouring (solo-col, interf-col: the workload 8 of 16 LLC colours on Arm, 16 of
32 on RISC-V, each streamer a quarter). Time: the guest's counter around each
run; traps/s: Baohu's exit count of the vCPU (BAOHU_HC_VCPU_EXITS, read before
and after) per second of guest time. The checksums must match bare.

**QEMU models no caches and no memory contention**: colouring changes only
which pages a VM gets, and the streaming VMs cannot evict anything, so no
cache-interference effect (nor its removal by colouring) is claimed from these
runs. What they show is Baohu's own cost (the timer exits; a compute-bound
guest takes no other trap), and an icount artefact in the interf rows: QEMU
runs all CPUs in turn on one thread and the counter counts every CPU's
instructions, so the streamers' turns (they hand QEMU's thread on every 4 KiB)
appear in the workload's run time. On RISC-V the tick is the guest's own
stimecmp (Sstc), which needs no exit at all.

$worktext
SECTION
)"
fi

# ---- IPC round trip (configs/*/ipc.c) ----------------------------------------
IPC_PLATFORMS=${BENCH_IPC_PLATFORMS:-qemu-aarch64-virt qemu-riscv64-virt-aia}
if only ipc; then
    ipcrows=()
    for p in $IPC_PLATFORMS; do
        make -s PLATFORM=$p CONFIG=ipc >/dev/null
        iq=$(make -s PLATFORM=$p CONFIG=ipc print-qemu)
        UNTIL='ipc round trip: n=' run "ipc-$p" 60 $iq $ICOUNT -kernel "build/$p-clang/ipc/baohu.elf"
        l=$(grep -a -m1 -o 'ipc round trip: n=[0-9]* min=[0-9]* median=[0-9]* max=[0-9]*' "$out/ipc-$p.txt" || true)
        [ -n "$l" ] || fail "no IPC round trip in $out/ipc-$p.txt"
        read -r n mn md mx < <(echo "$l" | sed 's/.*n=\([0-9]*\) min=\([0-9]*\) median=\([0-9]*\) max=\([0-9]*\)/\1 \2 \3 \4/')
        f=1; case $p in *riscv*) f=6.25 ;; esac
        ins() { awk -v t="$1" -v f="$f" 'BEGIN { printf "%d", t * f }'; }
        ipcrows+=("| $p | $n | $mn / $md / $mx | $(ins $mn) / $(ins $md) / $(ins $mx) |")
        fig "ipc.$p.median" "$(ins $md)"
    done
    section "$(cat <<SECTION
## IPC round trip

configs/<platform>/ipc.c: app writes a message into the shared object, notifies
rtos (hypercall) and waits for the doorbell of its answer; rtos checks and
answers from its doorbell handler. The counter from before the notify to the
answer's doorbell; 100 rounds. Arm counter ticks are instructions; RISC-V ticks
are 6.25 instructions, and its rtos waits in WFI between rounds (under icount a
WFI wake-up waits for QEMU's next turn), which dominates there.

| platform | rounds | ticks min / median / max | instructions min / median / max |
|---|---|---|---|
$(printf '%s\n' "${ipcrows[@]}")
SECTION
)"
fi

# ---- Scale: 1, 2, 4, 8 VMs on an 8-CPU virt machine ---------------------------
# Arm: the boot probe (counter at its first instruction and first output); RISC-V:
# the workload guest's boot variant (time CSR at its first output; OpenSBI ran first).
SCALE_PLATFORMS=${BENCH_SCALE_PLATFORMS:-qemu-aarch64-virt-smp8 qemu-riscv64-virt-aia-smp8}
if only scale; then
    scaletext=""
    for sp in $SCALE_PLATFORMS; do
        scalerows=()
        for n in 1 2 4 8; do
            c=bench-scale-$n
            make -s PLATFORM=$sp CONFIG=$c >/dev/null
            sq=$(make -s PLATFORM=$sp CONFIG=$c print-qemu)
            marker='probe boot: '; case $sp in *riscv*) marker='workload boot: ' ;; esac
            pats=""; for i in $(seq 0 $((n - 1))); do pats+="${pats:+&&}\\[p$i\\] $marker"; done
            UNTIL=$pats run "scale-$sp-$n" 60 $sq $ICOUNT -kernel "build/$sp-clang/$c/baohu.elf"
            log=$out/scale-$sp-$n.txt
            builds=$(grep -a -o "VM 'p[0-9]' .*built in [0-9]* us" "$log" | awk '{print $(NF-1)}' |
                while read -r u; do us2insn "$u"; echo; done | sort -n)
            case $sp in
            *riscv*)
                firsts=""
                outs=$(grep -a -o 'workload boot: first-output=[0-9]*' "$log" | sed 's/.*=//' |
                    awk '{printf "%d\n", $1 * 6.25}' | sort -n) ;;
            *)
                firsts=$(grep -a -o 'probe boot: first-insn=[0-9]*' "$log" | sed 's/.*=//' | sort -n)
                outs=$(grep -a -o 'first-output=[0-9]*' "$log" | sed 's/.*=//' | sort -n) ;;
            esac
            [ "$(echo "$outs" | grep -c .)" = "$n" ] || fail "$sp $c: not every VM printed ($log)"
            bmin=$(echo "$builds" | head -1); bmax=$(echo "$builds" | tail -1)
            bmed=$(echo "$builds" | sed -n "$(( (n + 1) / 2 ))p")
            f1=-; fn=-; [ -n "$firsts" ] && { f1=$(echo "$firsts" | head -1); fn=$(echo "$firsts" | tail -1); }
            o1=$(echo "$outs" | head -1); on=$(echo "$outs" | tail -1)
            scalerows+=("| $n | $bmin / $bmed / $bmax | $f1 | $fn | $o1 | $on |")
            fig "scale.$sp.$n.last_output" "$on"; fig "scale.$sp.$n.build_median" "$bmed"
        done
        scaletext+="### $sp"$'\n\n'"| VMs | per-VM init (build) min / median / max | first VM's first instruction | last VM's first instruction | first VM's first output | last VM's first output |"$'\n'"|---|---|---|---|---|---|"$'\n'"$(printf '%s\n' "${scalerows[@]}")"$'\n\n'
    done
    section "$(cat <<SECTION
## Scale: 1, 2, 4 and 8 VMs on an 8-CPU virt machine

configs/<platform>-smp8/bench-scale-<n>.c (the platforms with -smp 8): n VMs of
32 MiB, 1 vCPU, one per CPU, each built by its own CPU; on Arm the boot probe
(~100 KiB image, counter at its first instruction and first output), on RISC-V
the workload guest's boot variant (time CSR at its first output, x 6.25; the
count includes OpenSBI before Baohu). Instructions (icount). Per-VM init: each
VM's "built in" line (zeroing 32 MiB, mapping, the image copy; RISC-V zeroes
with 64-bit stores). Under icount the CPUs share one instruction clock and
QEMU runs a CPU that does not yield to the end of its turn, so the builds come
one after another here and the last VM is ready about n builds after the
start; on hardware they run in parallel. Baohu's own start-up (first VM's
first instruction - its build) also grows with the CPU count: every CPU
starts and sets up its MMU, GIC and timers.

$scaletext
SECTION
)"
fi

# ---- The report --------------------------------------------------------------
{
    cat <<REPORT
# Baohu benchmarks (QEMU $ICOUNT)

All figures are instructions: under icount one instruction takes 16 ns of
virtual time, one Arm generic-timer tick (62.5 MHz); on RISC-V the probes read
the 10 MHz time CSR, so their figures come in steps of 6.25 instructions.
REPORT
    for sec in "${sections[@]}"; do printf '\n%s\n' "$sec"; done
    [ ${#notes[@]} -eq 0 ] || printf '\n## Notes\n\n%s\n' "$(printf '%s\n' "${notes[@]}")"
} > "$out/report.md"
# ---- Comparison with the committed baseline --------------------------------
printf '%s\n' "${figures[@]}" > "$out/figures.txt"
if [ -f bench/baseline.md ]; then
    {
        echo; echo "## Compared with bench/baseline.md"; echo
        echo "Changes over 5% are flagged (**)."; echo
        echo "| figure | baseline | now | change |"; echo "|---|---|---|---|"
        awk -F'|' 'NR == FNR { if ($2 ~ /^ [a-z]/) { k = $2; gsub(/ /, "", k); v = $3; gsub(/ /, "", v); base[k] = v } next }
            { k = $1; v = $2; if (!(k in base)) { print "| " k " | - | " v " | new |"; next }
              b = base[k]; d = (b == 0) ? 0 : (v - b) * 100.0 / b
              f = (d > 5 || d < -5) ? " **" : ""
              printf "| %s | %s | %s | %+.1f%%%s |\n", k, b, v, d, f }' \
            bench/baseline.md FS=' ' "$out/figures.txt"
    } >> "$out/report.md"
fi
if [ "${BENCH_WRITE_BASELINE:-0}" = 1 ]; then
    { echo "# make bench baseline ($(git rev-parse --short HEAD 2>/dev/null || echo '?'))"
      echo
      echo "Written by \`BENCH_WRITE_BASELINE=1 make bench\`; every run compares its figures"
      echo "(instructions or bytes, deterministic under icount) with these and flags changes over 5%."
      echo
      echo "| figure | value |"; echo "|---|---|"
      printf '%s\n' "${figures[@]}" | awk '{print "| " $1 " | " $2 " |"}'
      # With BENCH_ONLY, the figures of the sections that did not run stay as they were.
      if [ -n "${BENCH_ONLY:-}" ] && [ -f bench/baseline.md ]; then
          awk -F'|' 'NR == FNR { have[$1] = 1; next }
              $2 ~ /^ [a-z]/ { k = $2; gsub(/ /, "", k); if (!(k in have)) print }' \
              FS=' ' "$out/figures.txt" FS='|' bench/baseline.md
      fi; } > "$out/baseline.new" && mv "$out/baseline.new" bench/baseline.md
fi
cat "$out/report.md"
