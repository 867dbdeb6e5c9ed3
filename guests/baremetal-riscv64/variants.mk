# The RV64 bare-metal test guest variants every RISC-V config may embed (see guests/baremetal-riscv64).
GUEST_VARIANTS := rtos app hostile sysoff reset
GUEST_DEFS_rtos := -DGUEST_NAME='\"rtos\"'
GUEST_DEFS_app := -DGUEST_NAME='\"app\"' -DGUEST_SMP=1 -DGUEST_BADCALL=1
GUEST_DEFS_hostile := -DGUEST_NAME='\"app\"' -DGUEST_HOSTILE_AFTER=3
GUEST_DEFS_sysoff := -DGUEST_NAME='\"app\"' -DGUEST_SMP=1 -DGUEST_SYSOFF_AFTER=3
GUEST_DEFS_reset := -DGUEST_NAME='\"app\"' -DGUEST_RESET_AFTER=3
# The rtos VM owning the goldfish RTC (passthrough) and taking its alarm through the vPLIC.
GUEST_VARIANTS += rtos-rtc
GUEST_DEFS_rtos-rtc := -DGUEST_NAME='\"rtos\"' -DGUEST_RTC_IRQ=1
# AIA: the same with the interrupt file (IMSIC) and the APLIC in place of the PLIC.
GUEST_VARIANTS += rtos-rtc-aia app-msi
GUEST_DEFS_rtos-rtc-aia := -DGUEST_NAME='\"rtos\"' -DGUEST_RTC_IRQ=1 -DGUEST_AIA=1
GUEST_DEFS_app-msi := -DGUEST_NAME='\"app\"' -DGUEST_SMP=1 -DGUEST_BADCALL=1 -DGUEST_AIA=1
# Inter-VM ping-pong (configs/<platform>/ipc.c): rtos answers, app asks, intruder has no
# object; the doorbell comes through the vPLIC, or through the vAPLIC for the -aia variants.
GUEST_VARIANTS += ipc-pong ipc-ping ipc-intruder ipc-pong-aia ipc-ping-aia
GUEST_DEFS_ipc-pong := -DGUEST_NAME='\"rtos\"' -DGUEST_IPC_ROLE=2
GUEST_DEFS_ipc-ping := -DGUEST_NAME='\"app\"' -DGUEST_IPC_ROLE=1 -DGUEST_IPC_SHM=0xa0000000UL -DGUEST_IPC_IRQ=53u
GUEST_DEFS_ipc-intruder := -DGUEST_NAME='\"intruder\"' -DGUEST_IPC_ROLE=3 -DGUEST_HOSTILE_AFTER=2 -DGUEST_HOSTILE_ADDR=0x90000000UL
GUEST_DEFS_ipc-pong-aia := $(GUEST_DEFS_ipc-pong) -DGUEST_AIA=1
GUEST_DEFS_ipc-ping-aia := $(GUEST_DEFS_ipc-ping) -DGUEST_AIA=1
# Interrupt delivery (configs/<platform>/irq-*.c, tests/integration/test_riscv64_irq.py): the RTC
# armed while vCPU 0 is off; SRST from inside the RTC handler; a flood beside a ticking peer.
GUEST_VARIANTS += irq-hsm irq-hsm-aia irq-reset irq-reset-aia flood ticker ticker-aia
GUEST_DEFS_irq-hsm := -DGUEST_NAME='\"app\"' -DGUEST_IRQ_HSM=1
GUEST_DEFS_irq-hsm-aia := $(GUEST_DEFS_irq-hsm) -DGUEST_AIA=1
GUEST_DEFS_irq-reset := -DGUEST_NAME='\"app\"' -DGUEST_IRQ_RESET=1
GUEST_DEFS_irq-reset-aia := $(GUEST_DEFS_irq-reset) -DGUEST_AIA=1
GUEST_DEFS_flood := -DGUEST_NAME='\"app\"' -DGUEST_FLOOD=1
GUEST_DEFS_ticker := -DGUEST_NAME='\"rtos\"' -DGUEST_TICK_GAP=1
GUEST_DEFS_ticker-aia := $(GUEST_DEFS_ticker) -DGUEST_AIA=1
# Fault probes (configs/*/guest-faults.c, guests/baremetal-riscv64/faults.c): every fault class
# gets the documented exception and the VM goes on; a VM whose stvec is outside its partition is
# stopped. The emulated interrupt controller is the probe's device: the PLIC, or the APLIC.
FAULT_IRQC_qemu-riscv64-virt := 0xc000000UL
FAULT_IRQC_qemu-riscv64-virt-aia := 0xd000000UL
GUEST_VARIANTS += fault-probe fault-vector
GUEST_DEFS_fault-probe := -DGUEST_NAME='\"probe\"' -DGUEST_FAULT_ROLE=1 -DGUEST_FAULT_IRQC=$(FAULT_IRQC_$(PLATFORM))
GUEST_DEFS_fault-vector := -DGUEST_NAME='\"vector\"' -DGUEST_FAULT_ROLE=2
# Feature probes (configs/<platform>/features.c, tests/integration/test_riscv64_features.py):
# counters, vector state, SBI v2.0 DBCN and the HSM/SRST return codes.
GUEST_VARIANTS += features
GUEST_DEFS_features := -DGUEST_NAME='\"feat\"' -DGUEST_FEATURES=1
GUEST_VARIANTS += features-reset
GUEST_DEFS_features-reset := -DGUEST_NAME='\"feat\"' -DGUEST_FEATURES=1 -DGUEST_FEATURES_RESET=1
# A VM whose console lines try to pass for Baohu's or rtos's (configs/*/console-forge.c).
GUEST_VARIANTS += forger
GUEST_DEFS_forger := -DGUEST_NAME='\"app\"' -DGUEST_FORGE=1
# The rtos VM on a virtual NS16550A (configs/qemu-riscv64-virt/vuart.c): prints on it, echoes typed lines.
GUEST_VARIANTS += rtos-uart
GUEST_DEFS_rtos-uart := -DGUEST_NAME='\"rtos\"' -DGUEST_UART16550=1
GUEST_VARIANTS += rtos-uart-aia
GUEST_DEFS_rtos-uart-aia := -DGUEST_NAME='\"rtos\"' -DGUEST_UART16550=1 -DGUEST_AIA=1

# Lifecycle races (configs/<platform>/lifecycle-*.c, guests/baremetal-riscv64/lifecycle.c): three (or
# four) harts rebooting their VM at once; hart_start racing hart_start and a reboot.
GUEST_VARIANTS += lc-reset lc-reset4 lc-reset-aia lc-cpuon
GUEST_DEFS_lc-reset := -DGUEST_NAME='\"life\"' -DGUEST_LIFECYCLE=1 -DGUEST_LC_VCPUS=3
GUEST_DEFS_lc-reset4 := -DGUEST_NAME='\"life\"' -DGUEST_LIFECYCLE=1 -DGUEST_LC_VCPUS=4
GUEST_DEFS_lc-cpuon := -DGUEST_NAME='\"life\"' -DGUEST_LIFECYCLE=2
# With the AIA: each run also checks, then fills, its harts' interrupt files.
GUEST_DEFS_lc-reset-aia := $(GUEST_DEFS_lc-reset) -DGUEST_AIA=1
# Claims probes (configs/<platform>/claims.c, guests/baremetal-riscv64/claims.c,
# tests/integration/test_claims_riscv64.py): SBI TIME, vPLIC thresholds, a call into shared memory.
GUEST_VARIANTS += claims-time claims-plic claims-shmx
GUEST_DEFS_claims-time := -DGUEST_NAME='\"time\"' -DGUEST_CLAIMS=1
GUEST_DEFS_claims-plic := -DGUEST_NAME='\"thresh\"' -DGUEST_CLAIMS=2
GUEST_DEFS_claims-shmx := -DGUEST_NAME='\"shmx\"' -DGUEST_CLAIMS=3 -DGUEST_CLAIMS_SHM=0xa0000000UL
GUEST_VARIANTS += claims-hlvx
GUEST_DEFS_claims-hlvx := -DGUEST_NAME='\"hlvx\"' -DGUEST_CLAIMS=4 -DGUEST_CLAIMS_IRQC=$(FAULT_IRQC_$(PLATFORM))
# configs/<platform>/watchdog.c: three watchdog kicks, then none; its management calls are denied.
GUEST_VARIANTS += watchdog
GUEST_DEFS_watchdog := -DGUEST_NAME='\"wdog\"' -DGUEST_WATCHDOG_KICKS=3
