/* Arm SMMUv3 (IHI 0070) register offsets and the encodings of its tables, commands and events. */
#ifndef BAOHU_SMMUV3_H
#define BAOHU_SMMUV3_H

#include <stdbool.h>
#include <stdint.h>

/* ---- Registers, page 0 and page 1 (IHI 0070 §6.2, §6.3) */
#define SMMU_IDR0 0x0
#define SMMU_IDR0_S2P (1u << 0)
#define SMMU_IDR0_S1P (1u << 1)
#define SMMU_IDR0_TTF_AA64 (2u << 2) /* TTF[3:2]: 0b10 AArch64, 0b11 both */
#define SMMU_IDR0_COHACC (1u << 4)   /* table walks and queue accesses are IO-coherent */
#define SMMU_IDR0_ST_LEVEL(r) (((r) >> 27) & 3u)
#define SMMU_IDR1 0x4
#define SMMU_IDR1_SIDSIZE(r) ((r)&0x3fu)
#define SMMU_IDR1_EVENTQS(r) (((r) >> 16) & 0x1fu)
#define SMMU_IDR1_CMDQS(r) (((r) >> 21) & 0x1fu)
#define SMMU_IDR5 0x14
#define SMMU_IDR5_OAS(r) ((r)&7u)
#define SMMU_IDR5_GRAN4K (1u << 4)
#define SMMU_CR0 0x20
#define SMMU_CR0_SMMUEN (1u << 0)
#define SMMU_CR0_EVENTQEN (1u << 2)
#define SMMU_CR0_CMDQEN (1u << 3)
#define SMMU_CR0ACK 0x24
#define SMMU_CR1 0x28
#define SMMU_CR2 0x2c
#define SMMU_CR2_RECINVSID (1u << 1) /* record C_BAD_STREAMID events */
#define SMMU_CR2_PTM (1u << 2)       /* private TLB maintenance: PEs' broadcast TLBIs do not apply */
#define SMMU_GBPA 0x44
#define SMMU_GBPA_ABORT (1u << 20)
#define SMMU_GBPA_UPDATE (1u << 31)
#define SMMU_IRQ_CTRL 0x50
#define SMMU_IRQ_CTRL_GERROR (1u << 0)
#define SMMU_IRQ_CTRL_EVENTQ (1u << 2)
#define SMMU_IRQ_CTRLACK 0x54
#define SMMU_GERROR 0x60
#define SMMU_GERRORN 0x64
#define SMMU_GERROR_IRQ_CFG0 0x68
#define SMMU_STRTAB_BASE 0x80
#define SMMU_STRTAB_BASE_CFG 0x88
#define SMMU_CMDQ_BASE 0x90
#define SMMU_CMDQ_PROD 0x98
#define SMMU_CMDQ_CONS 0x9c
#define SMMU_CMDQ_CONS_ERR(r) (((r) >> 24) & 0x7fu)
#define SMMU_EVENTQ_BASE 0xa0
#define SMMU_EVENTQ_IRQ_CFG0 0xb0
#define SMMU_EVENTQ_PROD 0x100a8 /* page 1 */
#define SMMU_EVENTQ_CONS 0x100ac

/* Queue and table base registers: RA/WA (read/write-allocate hint) bit 62,
 * ADDR from bit 5 (queues) or 6 (stream table), LOG2SIZE in [4:0]. */
#define SMMU_BASE_RA (1ull << 62)
#define SMMU_QUEUE_BASE(pa, log2) (SMMU_BASE_RA | ((pa)&0x000fffffffffffe0ull) | (uint64_t)(log2))
/* STRTAB_BASE_CFG: FMT [17:16] 0 = linear, LOG2SIZE [5:0]. */
#define SMMU_STRTAB_CFG_LINEAR(log2) ((uint32_t)(log2))

/* CR1: table and queue accesses Inner/Outer Write-Back cacheable, Inner
 * Shareable (only valid with COHACC; otherwise non-cacheable, §6.3.10). */
static inline uint32_t smmu_cr1(bool coherent)
{
    uint32_t c = coherent ? 1u : 0u;   /* 0b01 WB, 0b00 non-cacheable */
    uint32_t sh = coherent ? 3u : 2u;  /* ISH, or OSH for non-cacheable */
    return c << 0 | c << 2 | sh << 4 | c << 6 | c << 8 | sh << 10;
}

/* Producer / consumer indexes: [log2-1:0] the slot, [log2] the wrap bit. */
static inline bool smmu_queue_full(uint32_t prod, uint32_t cons, unsigned log2)
{
    uint32_t idx = (1u << log2) - 1;
    return (prod & idx) == (cons & idx) && (prod & (1u << log2)) != (cons & (1u << log2));
}

static inline bool smmu_queue_empty(uint32_t prod, uint32_t cons, unsigned log2)
{
    uint32_t mask = (2u << log2) - 1;
    return (prod & mask) == (cons & mask);
}

static inline uint32_t smmu_queue_next(uint32_t p, unsigned log2)
{
    return (p + 1) & ((2u << log2) - 1);
}

/* SMMU_EVENTQ_PROD.OVFLG, toggled by the SMMU when the queue was full and
 * events were lost; SMMU_EVENTQ_CONS.OVACKFLG, set equal to it by software
 * to acknowledge (IHI 0070 §7.4, "Event queue overflow"). */
#define SMMU_Q_OVFLG (1u << 31)

/* The CONS value that acknowledges every overflow PROD reports: the index
 * `cons` with OVACKFLG copied from PROD's OVFLG. */
static inline uint32_t smmu_queue_ack(uint32_t prod, uint32_t cons, unsigned log2)
{
    return (cons & ((2u << log2) - 1)) | (prod & SMMU_Q_OVFLG);
}

static inline bool smmu_queue_overflowed(uint32_t prod, uint32_t cons)
{
    return (prod & SMMU_Q_OVFLG) != (cons & SMMU_Q_OVFLG);
}

/* ---- Stream table entry, 64 bytes (IHI 0070 §5.2) */
#define STE_DWORDS 8
#define STE_V (1ull << 0)
#define STE_CONFIG_ABORT (0ull << 1)  /* Config[3:1] 0b000: abort, no event */
#define STE_CONFIG_BYPASS (4ull << 1) /* never used by Baohu */
#define STE_CONFIG_S1 (5ull << 1)     /* stage 1 translate, stage 2 bypass */
#define STE_CONFIG_S2 (6ull << 1)     /* stage 1 bypass, stage 2 translate */
#define STE_CONFIG_MASK (7ull << 1)

/* A stream no VM owns: valid, Config = abort. (V=0 would abort too, but
 * also report C_BAD_STE for every access; §5.2 "Config".) */
static inline void smmu_ste_abort(uint64_t ste[STE_DWORDS])
{
    for (unsigned i = 0; i < STE_DWORDS; i++)
        ste[i] = 0;
    ste[0] = STE_V | STE_CONFIG_ABORT;
}

/* Stage 1 through one context descriptor at `cd_pa` (S1Fmt 0 linear,
 * S1CDMax 0: a single CD, no substreams); CD fetches WB cacheable inner
 * shareable (S1CIR/S1COR/S1CSH in dword 1), STRW 0 = NS-EL1 (the only
 * stage-1 regime without E2H). */
static inline void smmu_ste_s1(uint64_t ste[STE_DWORDS], uint64_t cd_pa)
{
    for (unsigned i = 0; i < STE_DWORDS; i++)
        ste[i] = 0;
    ste[1] = 1ull << 2 | 1ull << 4 | 3ull << 6;
    ste[0] = STE_V | STE_CONFIG_S1 | (cd_pa & 0x000fffffffffffc0ull);
}

/* Stage 2 through a VM's own stage-2 tables (where IDR0.S2P): VMID
 * [15:0], S2T0SZ [37:32], S2SL0 [39:38], S2IR0/S2OR0 WB, S2SH0 ISH,
 * S2TG 4 KiB, S2PS [50:48], S2AA64, S2R (record faults) in dword 2;
 * S2TTB in dword 3 (§5.2). Same geometry as VTCR_EL2. */
static inline void smmu_ste_s2(uint64_t ste[STE_DWORDS], uint16_t vmid, uint64_t s2_root,
                               unsigned t0sz, unsigned sl0, unsigned ps)
{
    for (unsigned i = 0; i < STE_DWORDS; i++)
        ste[i] = 0;
    ste[2] = (uint64_t)vmid | (uint64_t)(t0sz & 0x3f) << 32 | (uint64_t)(sl0 & 3) << 38 |
             1ull << 40 | 1ull << 42 | 3ull << 44 | (uint64_t)(ps & 7) << 48 | 1ull << 51 |
             1ull << 58;
    ste[3] = s2_root & 0x000ffffffffffff0ull;
    ste[0] = STE_V | STE_CONFIG_S2;
}

/* ---- Context descriptor, 64 bytes (IHI 0070 §5.4) */
#define CD_DWORDS 8
#define CD_V (1ull << 31)
#define CD_EPD1 (1ull << 30)
#define CD_AA64 (1ull << 41)
#define CD_R (1ull << 45)    /* record faults as events */
#define CD_A (1ull << 46)    /* abort a faulting transaction (no stall, no RAZ/WI) */
#define CD_ASET (1ull << 47) /* ASID not shared with PEs: no broadcast TLBI hits it */

/* A VMSAv8-64 stage-1 context over TTB0 only: T0SZ [5:0], TG0 [7:6] = 4
 * KiB, IR0/OR0 [11:8] WB, SH0 [13:12] ISH, EPD1, IPS [34:32], AA64, R, A,
 * ASET, ASID [63:48]; TTB0 in dword 1, MAIR in dword 3. */
static inline void smmu_cd_s1(uint64_t cd[CD_DWORDS], uint16_t asid, uint64_t ttb0, unsigned t0sz,
                              unsigned ips, uint64_t mair)
{
    for (unsigned i = 0; i < CD_DWORDS; i++)
        cd[i] = 0;
    cd[1] = ttb0 & 0x000ffffffffffff0ull;
    cd[3] = mair;
    cd[0] = (uint64_t)(t0sz & 0x3f) | 0ull << 6 | 1ull << 8 | 1ull << 10 | 3ull << 12 | CD_EPD1 |
            CD_V | (uint64_t)(ips & 7) << 32 | CD_AA64 | CD_R | CD_A | CD_ASET | (uint64_t)asid << 48;
}

/* Stage-1 leaf bits for DMA into RAM (Arm ARM D8.3): AttrIndx 0 (MAIR
 * attr0 = Normal WB), AP[1] = 1 so unprivileged and privileged streams
 * both get read/write, ISH, AF, never executable (UXN, PXN). */
#define SMMU_S1_MAIR 0xffull
#define SMMU_S1_LEAF_RW ((1ull << 6) | (3ull << 8) | (1ull << 10) | (1ull << 53) | (1ull << 54))

/* ---- Commands, 16 bytes (IHI 0070 §4) */
#define CMD_CFGI_STE 0x03
#define CMD_CFGI_ALL 0x04
#define CMD_TLBI_NH_ASID 0x11
#define CMD_TLBI_EL2_ALL 0x20
#define CMD_TLBI_S12_VMALL 0x28
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_SYNC 0x46

/* CMD_CFGI_STE: SID [63:32], Leaf [64]. */
static inline void smmu_cmd_cfgi_ste(uint64_t cmd[2], uint32_t sid)
{
    cmd[0] = CMD_CFGI_STE | (uint64_t)sid << 32;
    cmd[1] = 1;
}

/* CMD_CFGI_ALL: Range [68:64] = 31, every stream. */
static inline void smmu_cmd_cfgi_all(uint64_t cmd[2])
{
    cmd[0] = CMD_CFGI_ALL;
    cmd[1] = 31;
}

/* CMD_TLBI_NH_ASID: ASID [63:48] (VMID [47:32] 0: stage-1-only streams). */
static inline void smmu_cmd_tlbi_asid(uint64_t cmd[2], uint16_t asid)
{
    cmd[0] = CMD_TLBI_NH_ASID | (uint64_t)asid << 48;
    cmd[1] = 0;
}

static inline void smmu_cmd_plain(uint64_t cmd[2], uint8_t op)
{
    cmd[0] = op;
    cmd[1] = 0;
}

/* CMD_SYNC with CS [13:12] = SIG_NONE: completion is seen by CONS passing
 * it. */
static inline void smmu_cmd_sync(uint64_t cmd[2])
{
    smmu_cmd_plain(cmd, CMD_SYNC);
}

/* ---- Event records, 32 bytes (IHI 0070 §7.3) */
#define EVT_DWORDS 4
#define EVT_C_BAD_STREAMID 0x02
#define EVT_F_TRANSLATION 0x10
#define EVT_F_ADDR_SIZE 0x11
#define EVT_F_ACCESS 0x12
#define EVT_F_PERMISSION 0x13

struct smmu_event {
    uint8_t type;
    uint32_t sid;
    bool write;    /* RnW = 0 */
    uint64_t addr; /* InputAddr: the address the device used (the VM's IPA) */
};

/* Type [7:0], StreamID [63:32]; for F_TRANSLATION and its kin RnW [99]
 * and InputAddr [191:128] (§7.3.12). */
static inline struct smmu_event smmu_event_decode(const uint64_t e[EVT_DWORDS])
{
    struct smmu_event ev = {
        .type = (uint8_t)e[0],
        .sid = (uint32_t)(e[0] >> 32),
        .write = !((e[1] >> 35) & 1),
        .addr = e[2],
    };
    return ev;
}

#endif
