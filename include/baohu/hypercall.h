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
/* x1 = shared-memory object id (index in the config's shmem list), x2 = event
 * (0..31): raise the doorbell interrupt of every other VM that shares the
 * object. -2 for an event out of range, -3 if the caller does not share it. */
#define BAOHU_HC_IPC_NOTIFY BAOHU_HC_ID(2)
/* x1 = object id -> x0 = the events peers raised towards the caller since the
 * last call (bit n = event n), cleared by reading. Same errors. */
#define BAOHU_HC_IPC_EVENTS BAOHU_HC_ID(3)
/* -> x0 = exits into Baohu the calling vCPU has taken (traps and interrupts,
 * this call included) since Baohu started. */
#define BAOHU_HC_VCPU_EXITS BAOHU_HC_ID(4)

/*
 * RISC-V: `ecall` from VS-mode, as an SBI extension (SBI spec v1.0 §3):
 * a7 = BAOHU_SBI_EXT, a6 = function number (the n of BAOHU_HC_ID(n) above:
 * 0 VERSION, 1 CONSOLE_PUTC, 2 IPC_NOTIFY, 3 IPC_EVENTS, 4 VCPU_EXITS), arguments in
 * a0..a4 (a0 holds what x1 holds on Arm). Results follow SBI: a0 = error (0, or
 * SBI_ERR_NOT_SUPPORTED -2 / SBI_ERR_INVALID_PARAM -3 / SBI_ERR_DENIED -4
 * for BAOHU_HC_ERR_NOT_SUPPORTED / _INVALID_PARAM / _DENIED), a1 = value.
 * The id lies in the SBI "firmware specific" range 0x0A000000-0x0AFFFFFF,
 * whose low 24 bits are the SBI implementation id (SBI §3, table of
 * extension spaces); Baohu reports BAOHU_SBI_IMPL_ID from
 * sbi_get_impl_id (ASCII "BHU"; not a registered id). The "vendor" range
 * 0x09xxxxxx is keyed by the CPU's mvendorid, which a hypervisor is not.
 *
 * Baohu also implements, for each VM only: BASE, TIME, IPI, RFENCE, HSM
 * (the VM's own harts, numbered 0..n-1), SRST (shutdown/reboot of the
 * calling VM) and the legacy set_timer/console_putchar/console_getchar;
 * any other extension returns SBI_ERR_NOT_SUPPORTED.
 */
#define BAOHU_SBI_IMPL_ID 0x424855u
#define BAOHU_SBI_EXT (0x0A000000u | BAOHU_SBI_IMPL_ID)

#define BAOHU_ABI_MAJOR 1
#define BAOHU_ABI_MINOR 0

/* Results (negative, SMCCC style). */
#define BAOHU_HC_OK 0
#define BAOHU_HC_ERR_NOT_SUPPORTED (-1)
#define BAOHU_HC_ERR_INVALID_PARAM (-2)
#define BAOHU_HC_ERR_DENIED (-3)

#endif
