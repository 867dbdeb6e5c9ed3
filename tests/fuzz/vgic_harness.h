/* The vGIC fuzzers' shared harness: one VM over the unit tests' fake list registers, its operations and invariants. */
#ifndef BAOHU_FUZZ_VGIC_HARNESS_H
#define BAOHU_FUZZ_VGIC_HARNESS_H

#include "fuzz_input.h"
#include "vgic.h"
#include "vm.h"

/*
 * The VM: three vCPUs on pCPUs 0, 2 and 3 (so a vCPU index is never its
 * pCPU number), pCPU 1 belongs to another VM. Passthrough SPIs 33, 40, 41;
 * IPC doorbell SPI 52. Every other SPI belongs to someone else.
 */
#define H_VCPUS 3
#define H_OTHER_CPU 1
extern struct vm h_vm;

/* Is `intid` one of the VM's SPIs / a passthrough SPI? */
bool h_spi_owned(irqid_t intid);
bool h_spi_passthrough(irqid_t intid);

/* The front end's part (fuzz_vgic_v2.c / fuzz_vgic_v3.c): a guest register
 * access or SGI by `v` built from the input, with the checks it implies;
 * called with the fake's current pCPU set to v's. */
void fe_mmio(struct fuzz_in *in, struct vcpu *v);
void fe_sgi(struct fuzz_in *in, struct vcpu *v);
/* After a VM reset: the front end's registers are in their reset state. */
void fe_after_reset(void);
/* A guest access that must be accepted: returns the value read. */
uint64_t h_mmio(struct vcpu *v, uint64_t addr, unsigned size, bool write, uint64_t value);

/* Run one input against a freshly built VM. */
void h_run(const uint8_t *data, size_t size);

#endif
