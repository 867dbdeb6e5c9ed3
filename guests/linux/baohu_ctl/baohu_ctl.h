/* SPDX-License-Identifier: GPL-2.0 */
/* /dev/baohu-ctl's one ioctl, shared by the baohu_ctl module and the baohu-ctl tool. */
#ifndef BAOHU_CTL_H
#define BAOHU_CTL_H

#include <linux/ioctl.h>
#include <linux/types.h>

/*
 * One of Baohu's management hypercalls (include/baohu/hypercall.h, 5..9:
 * VM_INFO, VM_STOP, VM_START, VM_RESTART, VM_STATS) made by the module on
 * the caller's behalf: `call` is the function number, `vm` the VM id. The
 * record Baohu writes for VM_INFO / VM_STATS comes back in `record`;
 * `result` is Baohu's x0 (>= 0, or a BAOHU_HC_ERR_* code).
 */
struct baohu_ctl_call {
	__u32 call;
	__u32 vm;
	__s64 result;
	__u8 record[256];
};

#define BAOHU_CTL_CALL _IOWR('B', 1, struct baohu_ctl_call)

#endif
