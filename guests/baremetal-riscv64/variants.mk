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
