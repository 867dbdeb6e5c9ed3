/* SBI extension/function ids and errors used by the guest (RISC-V SBI spec v2.0). */
#ifndef SBI_H
#define SBI_H

#include <stdint.h>

#define SBI_EXT_LEGACY_PUTCHAR 0x01
#define SBI_EXT_BASE 0x10
#define SBI_EXT_TIME 0x54494D45
#define SBI_EXT_IPI 0x735049
#define SBI_EXT_RFENCE 0x52464E43
#define SBI_EXT_HSM 0x48534D
#define SBI_EXT_SRST 0x53525354
#define SBI_EXT_DBCN 0x4442434E

#define SBI_BASE_GET_SPEC_VERSION 0
#define SBI_BASE_GET_IMPL_ID 1
#define SBI_BASE_PROBE_EXT 3
#define SBI_HSM_HART_START 0
#define SBI_HSM_HART_STOP 1
#define SBI_HSM_HART_GET_STATUS 2
#define SBI_HSM_HART_SUSPEND 3
#define SBI_DBCN_WRITE 0
#define SBI_DBCN_READ 1
#define SBI_DBCN_WRITE_BYTE 2
#define SBI_HSM_STATE_STOPPED 1
#define SBI_RFENCE_SFENCE_VMA 1
#define SBI_SRST_SHUTDOWN 0
#define SBI_SRST_COLD_REBOOT 1

#define SBI_SUCCESS 0

struct sbiret {
	int64_t error;
	int64_t value;
};

struct sbiret sbi_call(uint64_t ext, uint64_t fid, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3);
void sbi_putchar(char c);

#endif
