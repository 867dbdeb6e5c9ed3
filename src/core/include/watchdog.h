/* Per-VM watchdogs (config watchdog_ms): kicks, and the check Baohu's own timer runs. */
#ifndef BAOHU_WATCHDOG_H
#define BAOHU_WATCHDOG_H

#include "types.h"

struct vm;
struct vcpu;

/* A run of `vm` begins (creation, reset, start): a new period starts. On
 * its vCPU 0's CPU this also arms that CPU's Baohu timer. */
void watchdog_vm_start(struct vm *vm);
/* BAOHU_HC_WATCHDOG_KICK from one of the VM's vCPUs. */
int64_t watchdog_kick(struct vm *vm);
/* Baohu's timer fired on the CPU `vcpu` is pinned to (NULL: none). A run
 * whose deadline has passed is stopped or reset by its fault policy; the
 * timer is armed again for the next deadline (or the next period while
 * the VM does not run). */
void watchdog_timer(struct vcpu *vcpu);

#endif
