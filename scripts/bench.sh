#!/usr/bin/env bash
# make bench: deterministic measurements under QEMU icount (1 instruction = 16 ns,
# 1 generic-timer tick = 1 instruction), each against a bare-metal baseline run
# in the same invocation. Writes build/bench/report.md.
set -euo pipefail
cd "$(dirname "$0")/.."
PLATFORM=${PLATFORM:-qemu-aarch64-virt}
out=build/bench
mkdir -p "$out"
ICOUNT="-icount shift=4,sleep=off"

run() { # name, seconds, qemu args...
    local name=$1 secs=$2
    shift 2
    timeout --kill-after=5 "$secs" "$@" > "$out/$name.log" 2>&1 || true
    tr -d '\r' < "$out/$name.log" > "$out/$name.txt"
}

for c in bench bench-alone ipc demo colour; do make -s PLATFORM=$PLATFORM CONFIG=$c >/dev/null; done
qemu=$(make -s PLATFORM=$PLATFORM CONFIG=bench print-qemu)
elf() { echo "build/$PLATFORM-clang/$1/baohu.elf"; }
guests="build/$PLATFORM-clang/guests"

# Bare metal: the same probe at EL1 with no hypervisor (QEMU answers PSCI itself).
run bare 30 qemu-system-aarch64 -M virt,gic-version=3 -cpu cortex-a53 -smp 1 -m 256M \
    -nographic -nic none $ICOUNT -kernel "$guests/latency-bare.elf"
run baohu-alone 60 $qemu $ICOUNT -kernel "$(elf bench-alone)"
run baohu 60 $qemu $ICOUNT -kernel "$(elf bench)"
run ipc 60 $qemu $ICOUNT -kernel "$(elf ipc)"
run demo 30 $qemu $ICOUNT -kernel "$(elf demo)"
run colour 30 $qemu $ICOUNT -kernel "$(elf colour)"

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

cat > "$out/report.md" <<REPORT
# Baohu benchmarks ($PLATFORM, QEMU $ICOUNT)

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
