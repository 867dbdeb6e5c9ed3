/* APLIC register map and IMSIC constants (RISC-V AIA spec v1.0 §3, §4.5). */
#ifndef BAOHU_RISCV64_APLIC_H
#define BAOHU_RISCV64_APLIC_H

#define APLIC_DOMAINCFG 0x0000u
#define APLIC_DOMAINCFG_RO1 (1u << 31) /* reads as 1 (§4.5.1) */
#define APLIC_DOMAINCFG_IE (1u << 8)
#define APLIC_DOMAINCFG_DM (1u << 2) /* MSI delivery mode */
#define APLIC_SOURCECFG(i) (0x0004u + 4u * ((i) - 1))
#define APLIC_SOURCECFG_D (1u << 10)
#define APLIC_SOURCECFG_SM_MASK 7u
#define APLIC_SM_LEVEL_HIGH 6u /* source mode Level1 (§4.5.2) */
#define APLIC_MSIADDRCFG 0x1bc0u /* ..0x1bcc: M-level only */
#define APLIC_SETIP 0x1c00u
#define APLIC_SETIPNUM 0x1cdcu
#define APLIC_CLRIP 0x1d00u
#define APLIC_CLRIPNUM 0x1ddcu
#define APLIC_SETIE 0x1e00u
#define APLIC_SETIENUM 0x1edcu
#define APLIC_CLRIE 0x1f00u
#define APLIC_CLRIENUM 0x1fdcu
#define APLIC_SETIPNUM_LE 0x2000u
#define APLIC_GENMSI 0x3000u
#define APLIC_TARGET(i) (0x3004u + 4u * ((i) - 1))
#define APLIC_TARGET_HART_SHIFT 18
#define APLIC_TARGET_GUEST_SHIFT 12
#define APLIC_TARGET_EIID_MASK 0x7ffu

/* IMSIC (§3.5): a file is one 4 KiB page, seteipnum_le at offset 0; with
 * guest files a hart's files are 2^guest_bits consecutive pages, the S file
 * first. Its CSRs go through siselect / sireg (vsiselect / vsireg for the
 * guest file hstatus.VGEIN selects), §3.8. */
#define IMSIC_FILE_SIZE 0x1000ull
#define IMSIC_EIDELIVERY 0x70u
#define IMSIC_EITHRESHOLD 0x72u
#define IMSIC_EIP0 0x80u
#define IMSIC_EIE0 0xc0u
#define IMSIC_EIX_REGS 64u /* eip0..eip63 / eie0..eie63: 2048 identities at most */
/* The guest file each VM's vCPU gets: Baohu runs one VM per hart. */
#define IMSIC_GUEST_FILE 1u

#endif
