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
    sed -n "s/.*probe $2: n=[0-9]* min=\([0-9]*\) median=\([0-9]*\) max=\([0-9]*\).*/\1 \2 \3/p" \
        "$out/$1.txt" | head -1
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
}

for p in $PROBE_PLATFORMS; do
    for c in bench-ipi bench-timer; do make -s PLATFORM=$p CONFIG=$c >/dev/null; done
    pq=$(make -s PLATFORM=$p CONFIG=bench-ipi print-qemu)
    run "probe-bare-$p" 60 $(bare_qemu $p) -nographic -nic none $ICOUNT \
        -kernel "build/$p-clang/guests/probe.elf"
    run "probe-ipi-$p" 60 $pq $ICOUNT -kernel "build/$p-clang/bench-ipi/baohu.elf"
    run "probe-timer-$p" 60 $pq $ICOUNT -kernel "build/$p-clang/bench-timer/baohu.elf"
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
for p in qemu-aarch64-virt qemu-aarch64-virt-gicv2; do
    case " $PROBE_PLATFORMS " in *" $p "*) ;; *) continue ;; esac
    pq=$(make -s PLATFORM=$p CONFIG=bench-ipi print-qemu)
    sgi="0:MSR ICC_SGI1R_EL1=SGI trap (sender)"
    [ $p = qemu-aarch64-virt-gicv2 ] && sgi="0:data abort 0x8000f00=GICD_SGIR trap (sender)"
    timeout --kill-after=5 300 "$PY" scripts/bench-el2trace.py \
        --elf "build/$p-clang/bench-ipi/baohu.elf" --out "$out/el2-$p" --title "$p" \
        --name "0:IRQ=timer IRQ" --name "$sgi" --name "1:IRQ=IPI receive" \
        -- $pq $ICOUNT > /dev/null || fail "EL2 trace of $p bench-ipi failed (see $out/el2-$p-console.txt)"
    # The log does not change icount time: the traced run must measure the same.
    [ "$(probe_val el2-$p-console ipi)" = "$(probe_val probe-ipi-$p ipi)" ] ||
        echo "bench: note: traced run of $p measured a different IPI latency" >&2
    el2+="### $p"$'\n\n'"$(cat "$out/el2-$p.md")"$'\n\n'
done

# ---- Part 2: the older measurements ---------------------------------------
for c in bench bench-alone ipc demo colour; do make -s PLATFORM=$PLATFORM CONFIG=$c >/dev/null; done
qemu=$(make -s PLATFORM=$PLATFORM CONFIG=bench print-qemu)
elf() { echo "build/$PLATFORM-clang/$1/baohu.elf"; }
guests="build/$PLATFORM-clang/guests"

# Bare metal: the same probe at EL1 with no hypervisor (QEMU answers PSCI itself).
UNTIL='timer irq latency: avg' run bare 30 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a53 -smp 1 -m 256M \
    -nographic -nic none $ICOUNT -kernel "$guests/latency-bare.elf"
UNTIL='timer irq latency: avg' run baohu-alone 60 $qemu $ICOUNT -kernel "$(elf bench-alone)"
UNTIL='timer irq latency: avg' run baohu 60 $qemu $ICOUNT -kernel "$(elf bench)"
UNTIL='ipc round trip: [0-9]+&&ipc ping: ' run ipc 60 $qemu $ICOUNT -kernel "$(elf ipc)"
built_both="VM 'rtos' .*built in [0-9]+ us&&VM 'app' .*built in [0-9]+ us"
UNTIL=$built_both run demo 30 $qemu $ICOUNT -kernel "$(elf demo)"
UNTIL=$built_both run colour 30 $qemu $ICOUNT -kernel "$(elf colour)"

lat() { grep -m1 -o 'timer irq latency: avg [0-9]*' "$out/$1.txt" | awk '{print $5}'; }
built() { grep -m1 -o "VM '$2' .*built in [0-9]* us" "$out/$1.txt" | awk '{print $(NF-1)}'; }
bare=$(lat bare); alone=$(lat baohu-alone); virt=$(lat baohu)
rt=$(grep -m1 -o 'ipc round trip: [0-9]*' "$out/ipc.txt" | awk '{print $4}')
ok=$(grep -m1 -o 'ipc ping: [0-9]*/[0-9]*' "$out/ipc.txt" | awk '{print $3}')
d_rtos=$(built demo rtos); d_app=$(built demo app); c_rtos=$(built colour rtos); c_app=$(built colour app)
for v in bare alone virt rt d_rtos d_app c_rtos c_app; do
    [ -n "${!v}" ] || { echo "bench: no result for $v (see $out/*.txt)" >&2; exit 1; }
done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

probe_table=$(printf '%s\n' "${rows[@]}")
cat > "$out/report.md" <<REPORT
# Baohu benchmarks (QEMU $ICOUNT)

All figures are instructions: under icount one instruction takes 16 ns of
virtual time, one Arm generic-timer tick (62.5 MHz); on RISC-V the probes read
the 10 MHz time CSR, so their figures come in steps of 6.25 instructions.

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

## EL2 instructions per exit (QEMU exec log)

Every Baohu instruction executed between an exception taken to EL2 and its
ERET, attributed to the function its translated block starts in. The timer
and IPI rows should add up to the added latencies above. Median exits
function by function: build/bench/el2-<platform>-<cause>.txt.

$el2
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
REPORT
cat "$out/report.md"
