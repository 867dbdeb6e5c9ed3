# The bare-metal test guest variants every config may embed (see guests/baremetal).
GUEST_VARIANTS := rtos app hostile sysoff reset
GUEST_DEFS_rtos := -DGUEST_NAME='\"rtos\"'
GUEST_DEFS_app := -DGUEST_NAME='\"app\"' -DGUEST_SMP=1 -DGUEST_BURST=1 -DGUEST_BADCALL=1
GUEST_DEFS_hostile := -DGUEST_NAME='\"app\"' -DGUEST_HOSTILE_AFTER=3
GUEST_DEFS_sysoff := -DGUEST_NAME='\"app\"' -DGUEST_SMP=1 -DGUEST_SYSOFF_AFTER=3
GUEST_DEFS_reset := -DGUEST_NAME='\"app\"' -DGUEST_RESET_AFTER=3
GUEST_VARIANTS += badmmio rtos-uart
GUEST_DEFS_badmmio := -DGUEST_NAME='\"app\"' -DGUEST_BADMMIO_AFTER=2
# The rtos VM owning the PL011 (passthrough) and taking its receive interrupt.
GUEST_DEFS_rtos-uart := -DGUEST_NAME='\"rtos\"' -DGUEST_UART_RX=1
GUEST_MAKEVARS_rtos-uart := CONSOLE=pl011
# Inter-VM ping-pong (configs/*/ipc.c): rtos answers, app asks, intruder has no object.
GUEST_VARIANTS += ipc-pong ipc-ping ipc-intruder
GUEST_DEFS_ipc-pong := -DGUEST_NAME='\"rtos\"' -DGUEST_IPC_ROLE=2
GUEST_DEFS_ipc-ping := -DGUEST_NAME='\"app\"' -DGUEST_IPC_ROLE=1 -DGUEST_IPC_SHM=0x60000000UL -DGUEST_IPC_IRQ=53
GUEST_DEFS_ipc-intruder := -DGUEST_NAME='\"intruder\"' -DGUEST_IPC_ROLE=3 -DGUEST_HOSTILE_AFTER=2 -DGUEST_HOSTILE_ADDR=0x50000000UL
# DMA isolation (configs/qemu-aarch64-virt/dma.c): a virtio-blk-pci driver behind the SMMU
# reads into its own RAM, then into the victim's physical RAM; the victim checksums its page.
GUEST_VARIANTS += dma-probe dma-victim
GUEST_DEFS_dma-probe := -DGUEST_NAME='\"dma\"' -DGUEST_DMA_ROLE=1 -DGUEST_DMA_ECAM=0x4010000000UL \
	-DGUEST_DMA_BAR=0x10000000UL -DGUEST_DMA_BUF=0x50800000UL -DGUEST_DMA_HYP=0x40200000UL
# Its RAM at IPA 0x50000000, so Baohu's image (PA 0x40200000) is outside it.
GUEST_MAKEVARS_dma-probe := LOAD_ADDR=0x50000000
GUEST_DEFS_dma-victim := -DGUEST_NAME='\"victim\"' -DGUEST_DMA_ROLE=2
# Benchmarks (make bench): the timer latency probe under Baohu and bare on QEMU.
GUEST_VARIANTS += latency latency-bare
GUEST_DEFS_latency := -DGUEST_NAME='\"rtos\"' -DGUEST_LATENCY=1 -DTICK_MS=10
GUEST_DEFS_latency-bare := -DGUEST_NAME='\"bare\"' -DGUEST_LATENCY=1 -DTICK_MS=10
GUEST_MAKEVARS_latency-bare := CONSOLE=pl011 LOAD_ADDR=0x40200000
# The RTOS beside Linux (configs/*/linux-rtos.c): pong over the channel Linux user space pings.
GUEST_VARIANTS += rtos-linux
GUEST_DEFS_rtos-linux := -DGUEST_NAME='\"rtos\"' -DGUEST_IPC_ROLE=2 -DGUEST_IPC_ROUNDS=10
# Interrupt isolation (configs/*/flood.c): a 2-vCPU VM flooding notifications, SGIs and
# distributor writes beside a 1-vCPU peer that measures its own tick gaps (guests/baremetal/flood.c).
GUEST_VARIANTS += flood flood-peer
GUEST_DEFS_flood := -DGUEST_NAME='\"flood\"' -DGUEST_FLOOD_ROLE=1 -DGUEST_FLOOD_IRQ=53
GUEST_DEFS_flood-peer := -DGUEST_NAME='\"peer\"' -DGUEST_FLOOD_ROLE=2 -DGUEST_FLOOD_IRQ=52 -DTICK_MS=100
# Fault probes (configs/*/guest-faults.c, guests/baremetal/faults.c): every fault class gets
# the documented exception and the VM goes on; a VM whose vector is outside its partition is stopped.
FAULT_DEFS_qemu-aarch64-virt := -DGUEST_FAULT_UART=0x09000000UL
FAULT_DEFS_qemu-aarch64-virt-gicv2 := -DGUEST_FAULT_UART=0x09000000UL
FAULT_DEFS_zcu102 := -DGUEST_FAULT_UART=0xff000000UL
GUEST_VARIANTS += fault-probe fault-vector
GUEST_DEFS_fault-probe := -DGUEST_NAME='\"probe\"' -DGUEST_FAULT_ROLE=1 $(FAULT_DEFS_$(PLATFORM))
GUEST_DEFS_fault-vector := -DGUEST_NAME='\"vector\"' -DGUEST_FAULT_ROLE=2 $(FAULT_DEFS_$(PLATFORM))
# A passthrough device with a programmable delayed interrupt (guests/baremetal/alarm.c):
# each platform's own. Platforms without one build none of these variants.
ALARM_DEFS_qemu-aarch64-virt := -DGUEST_ALARM_PL031=1
ALARM_DEFS_qemu-aarch64-virt-gicv2 := -DGUEST_ALARM_PL031=1
ALARM_DEFS_zcu102 := -DGUEST_ALARM_TTC=1
ifneq ($(ALARM_DEFS_$(PLATFORM)),)
# configs/*/spi-off*.c: the SPI armed while vCPU 0 is off must reach vCPU 1.
GUEST_VARIANTS += spi-off spi-off-late spi-off-late-en
GUEST_DEFS_spi-off := -DGUEST_NAME='\"spi\"' -DGUEST_ALARM_ROLE=1 -DGUEST_ALARM_MODE=0 $(ALARM_DEFS_$(PLATFORM))
GUEST_DEFS_spi-off-late := -DGUEST_NAME='\"spi\"' -DGUEST_ALARM_ROLE=1 -DGUEST_ALARM_MODE=1 $(ALARM_DEFS_$(PLATFORM))
GUEST_DEFS_spi-off-late-en := -DGUEST_NAME='\"spi\"' -DGUEST_ALARM_ROLE=1 -DGUEST_ALARM_MODE=2 $(ALARM_DEFS_$(PLATFORM))
# configs/*/irqreset*.c: SYSTEM_RESET from inside the device's handler; the device interrupts again after.
GUEST_VARIANTS += irqreset irqreset-acked irqreset-vcpu1
GUEST_DEFS_irqreset := -DGUEST_NAME='\"app\"' -DGUEST_ALARM_ROLE=2 -DGUEST_ALARM_MODE=0 $(ALARM_DEFS_$(PLATFORM))
GUEST_DEFS_irqreset-acked := -DGUEST_NAME='\"app\"' -DGUEST_ALARM_ROLE=2 -DGUEST_ALARM_MODE=1 $(ALARM_DEFS_$(PLATFORM))
GUEST_DEFS_irqreset-vcpu1 := -DGUEST_NAME='\"app\"' -DGUEST_ALARM_ROLE=2 -DGUEST_ALARM_MODE=0 -DGUEST_ALARM_VCPU=1 $(ALARM_DEFS_$(PLATFORM))
endif
# configs/*/watchdog.c: three watchdog kicks, then none; its management calls are denied.
GUEST_VARIANTS += watchdog
GUEST_DEFS_watchdog := -DGUEST_NAME='\"wdog\"' -DGUEST_WATCHDOG_KICKS=3
# A VM whose console lines try to pass for Baohu's or rtos's (configs/*/console-forge.c).
GUEST_VARIANTS += forger
GUEST_DEFS_forger := -DGUEST_NAME='\"app\"' -DGUEST_FORGE=1

# Lifecycle races (configs/*/lifecycle-*.c, guests/baremetal/lifecycle.c): three (or four) vCPUs
# resetting their VM at once; CPU_ON racing CPU_ON and a reset.
GUEST_VARIANTS += lc-reset lc-reset4 lc-cpuon
GUEST_DEFS_lc-reset := -DGUEST_NAME='\"life\"' -DGUEST_LIFECYCLE=1 -DGUEST_LC_VCPUS=3
GUEST_DEFS_lc-reset4 := -DGUEST_NAME='\"life\"' -DGUEST_LIFECYCLE=1 -DGUEST_LC_VCPUS=4
GUEST_DEFS_lc-cpuon := -DGUEST_NAME='\"life\"' -DGUEST_LIFECYCLE=2

# Claims probes (configs/*/claims.c, guests/baremetal/claims.c, tests/integration/test_claims.py):
# the PSCI/SMCCC FEATURES table; a call into the VM's own shared memory.
GUEST_VARIANTS += claims-features claims-shmx
GUEST_DEFS_claims-features := -DGUEST_NAME='\"features\"' -DGUEST_CLAIMS=1
GUEST_DEFS_claims-shmx := -DGUEST_NAME='\"shmx\"' -DGUEST_CLAIMS=2 -DGUEST_CLAIMS_SHM=0x60000000UL
