/* Baohu hypercall ABI, shared by the hypervisor and its guests. */
#ifndef BAOHU_HYPERCALL_H
#define BAOHU_HYPERCALL_H

/*
 * Arm: `hvc #0`. The function id goes in x0, arguments in x1..x5, the result
 * comes back in x0 (>= 0 success/value, < 0 an error below). Ids live in the
 * SMCCC "vendor specific hypervisor service" range (SMCCC §6.2, owning entity
 * 6, fast call, SMC64 convention): 0xC6000000 | function number. Registers not
 * named here are preserved.
 *
 * PSCI (function ids 0x84xxxxxx / 0xC4xxxxxx) is accepted both through
 * `hvc #0` and `smc #0`; it affects only the calling VM.
 */
#define BAOHU_HC_BASE 0xC6000000u
#define BAOHU_HC_ID(n) (BAOHU_HC_BASE | (n))

/* x0 = BAOHU_HC_VERSION -> x0 = (major << 16) | minor */
#define BAOHU_HC_VERSION BAOHU_HC_ID(0)
/* x1 = one byte to append to the caller VM's tagged console line. */
#define BAOHU_HC_CONSOLE_PUTC BAOHU_HC_ID(1)
/* x1 = ipc id, x2 = event: raise the peers' doorbell interrupt (reserved). */
#define BAOHU_HC_IPC_NOTIFY BAOHU_HC_ID(2)

#define BAOHU_ABI_MAJOR 1
#define BAOHU_ABI_MINOR 0

/* Results (negative, SMCCC style). */
#define BAOHU_HC_OK 0
#define BAOHU_HC_ERR_NOT_SUPPORTED (-1)
#define BAOHU_HC_ERR_INVALID_PARAM (-2)
#define BAOHU_HC_ERR_DENIED (-3)

#endif
