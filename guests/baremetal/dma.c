/* DMA isolation probe: drives a virtio-blk-pci disk behind the SMMU (ECAM, BAR, one modern virtqueue). */
#include <stdbool.h>
#include "arch.h"
#include "guest.h"

#if GUEST_DMA_ROLE == 1

/*
 * GUEST_DMA_ROLE 1: PCIe config through ECAM (PCIe base spec 7.2.2: bus
 * << 20 | dev << 15 | fn << 12), the virtio modern capabilities (virtio
 * 1.1 §4.1.4), one read of sector 0 into (a) our own RAM, then (b) the
 * address GUEST_DMA_VICTIM (another VM's physical RAM) and GUEST_DMA_HYP
 * (Baohu's image): (a) must arrive, (b) must be blocked by the SMMU.
 * GUEST_DMA_ROLE 2 (the victim): fills a page and prints its checksum on
 * every tick (dma_victim_tick).
 */
#define ECAM GUEST_DMA_ECAM
#define BAR_BASE GUEST_DMA_BAR
#define MY_BUF GUEST_DMA_BUF /* our RAM: descriptors, rings, buffers */
#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_BLK_MODERN 0x1042
#define QSIZE 8

static volatile uint8_t *cfg8(unsigned dev, unsigned off)
{
	return (volatile uint8_t *)(ECAM + ((uintptr_t)dev << 15) + off);
}

static volatile uint32_t *cfg32(unsigned dev, unsigned off)
{
	return (volatile uint32_t *)(ECAM + ((uintptr_t)dev << 15) + off);
}

struct vq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct blk_req {
	uint32_t type;
	uint32_t reserved;
	uint64_t sector;
};

static volatile uint8_t *common, *notify;
static uint32_t notify_mult;
static uint16_t avail_idx;

/* The region a virtio capability points at, through the BAR we assigned. */
static volatile uint8_t *cap_region(unsigned dev, unsigned cap, uint64_t *bars)
{
	unsigned bar = *cfg8(dev, cap + 4);
	uint32_t off = *cfg32(dev, cap + 8);
	return (volatile uint8_t *)(uintptr_t)(bars[bar] + off);
}

static int probe(unsigned *out_dev)
{
	for (unsigned dev = 0; dev < 32; dev++) {
		uint32_t id = *cfg32(dev, 0);
		if ((id & 0xffff) == VIRTIO_VENDOR && (id >> 16) == VIRTIO_BLK_MODERN) {
			*out_dev = dev;
			return 0;
		}
	}
	return -1;
}

/* Size every memory BAR and place them one after another from BAR_BASE. */
static void bars_assign(unsigned dev, uint64_t bars[6])
{
	uint64_t next = BAR_BASE;
	for (unsigned b = 0; b < 6; b++) {
		volatile uint32_t *bar = cfg32(dev, 0x10 + 4 * b);
		uint32_t orig = *bar;
		bars[b] = 0;
		if (orig & 1)
			continue; /* I/O space: not used */
		bool is64 = ((orig >> 1) & 3) == 2;
		*bar = 0xffffffff;
		uint32_t lo = *bar & ~0xfu;
		uint64_t size = lo ? (uint64_t)(~lo) + 1 : 0;
		if (is64) {
			cfg32(dev, 0x14 + 4 * b)[0] = 0xffffffff;
			uint64_t hi = *cfg32(dev, 0x14 + 4 * b);
			size = ~((hi << 32) | lo) + 1;
		}
		if (size) {
			next = (next + size - 1) & ~(size - 1);
			*bar = (uint32_t)next;
			if (is64)
				*cfg32(dev, 0x14 + 4 * b) = (uint32_t)(next >> 32);
			bars[b] = next;
			next += size;
		}
		if (is64)
			b++;
	}
	/* Command: memory space and bus master. */
	*cfg32(dev, 4) = (*cfg32(dev, 4) & 0xffff0000u) | 0x6;
}

#define C8(o) (*(volatile uint8_t *)(common + (o)))
#define C16(o) (*(volatile uint16_t *)(common + (o)))
#define C32(o) (*(volatile uint32_t *)(common + (o)))
#define C64(o) (*(volatile uint64_t *)(common + (o)))

static int virtio_setup(unsigned dev)
{
	uint64_t bars[6];
	bars_assign(dev, bars);
	unsigned cap = *cfg8(dev, 0x34);
	while (cap) {
		if (*cfg8(dev, cap) == 0x09) {
			unsigned type = *cfg8(dev, cap + 3);
			if (type == 1)
				common = cap_region(dev, cap, bars);
			if (type == 2) {
				notify = cap_region(dev, cap, bars);
				notify_mult = *cfg32(dev, cap + 16);
			}
		}
		cap = *cfg8(dev, cap + 1);
	}
	if (!common || !notify)
		return -1;
	C8(0x14) = 0;
	while (C8(0x14))
		;
	C8(0x14) = 1 | 2; /* ACKNOWLEDGE, DRIVER */
	/* Features 32 (VERSION_1) and 33 (ACCESS_PLATFORM: DMA goes through
	 * the IOMMU), both offered by the device under iommu_platform=on. */
	C32(0x00) = 1;
	uint32_t hi = C32(0x04);
	C32(0x08) = 0;
	C32(0x0c) = 0;
	C32(0x08) = 1;
	C32(0x0c) = hi & 3;
	C8(0x14) = 1 | 2 | 8;
	if (!(C8(0x14) & 8))
		return -2;
	volatile uint8_t *mem = (volatile uint8_t *)MY_BUF;
	for (unsigned i = 0; i < 0x3000; i++)
		mem[i] = 0;
	C16(0x16) = 0;
	C16(0x18) = QSIZE;
	C64(0x20) = MY_BUF;          /* descriptor table */
	C64(0x28) = MY_BUF + 0x1000; /* available ring */
	C64(0x30) = MY_BUF + 0x2000; /* used ring */
	C16(0x1c) = 1;
	C8(0x14) = 1 | 2 | 8 | 4; /* DRIVER_OK */
	return 0;
}

/* One read of sector 0 into `buf`: 1 done (status 0), 0 no completion, -1
 * error status. */
static int blk_read(uint64_t buf)
{
	volatile struct vq_desc *d = (volatile struct vq_desc *)MY_BUF;
	volatile struct blk_req *req = (volatile struct blk_req *)(MY_BUF + 0x3000);
	volatile uint8_t *status = (volatile uint8_t *)(MY_BUF + 0x3100);
	volatile uint16_t *avail = (volatile uint16_t *)(MY_BUF + 0x1000);
	volatile uint16_t *used = (volatile uint16_t *)(MY_BUF + 0x2000);

	req->type = 0; /* VIRTIO_BLK_T_IN */
	req->reserved = 0;
	req->sector = 0;
	*status = 0xff;
	d[0].addr = MY_BUF + 0x3000;
	d[0].len = 16;
	d[0].flags = 1; /* NEXT */
	d[0].next = 1;
	d[1].addr = buf;
	d[1].len = 512;
	d[1].flags = 1 | 2; /* NEXT, WRITE (device writes) */
	d[1].next = 2;
	d[2].addr = MY_BUF + 0x3100;
	d[2].len = 1;
	d[2].flags = 2;
	d[2].next = 0;
	avail[2 + avail_idx % QSIZE] = 0;
	dmb();
	avail[1] = ++avail_idx;
	dmb();
	uint16_t off = C16(0x1e);
	*(volatile uint16_t *)(notify + (uint64_t)off * notify_mult) = 0;
	for (unsigned long spin = 0; spin < 20000000UL; spin++) {
		if (used[1] == avail_idx)
			return *status == 0 ? 1 : -1;
		if (C8(0x14) & 0x40)
			break; /* DEVICE_NEEDS_RESET: the transfer failed */
	}
	return 0;
}

void dma_main(void)
{
	unsigned dev;
	if (probe(&dev)) {
		print("dma: no virtio-blk-pci on bus 0\n");
		return;
	}
	int r = virtio_setup(dev);
	print("dma: virtio-blk-pci at 00:%x.0 (stream 0x%x), setup %d\n", dev, dev << 3, r);
	if (r)
		return;
	volatile char *own = (volatile char *)(MY_BUF + 0x4000);
	r = blk_read(MY_BUF + 0x4000);
	char magic[9];
	for (unsigned i = 0; i < 8; i++)
		magic[i] = own[i];
	magic[8] = 0;
	print("dma: own RAM read %d, data '%s'\n", r, magic);
	/* Give the victim time to fill and checksum its page first. */
	uint64_t f = sysreg_read(cntfrq_el0), t0 = sysreg_read(cntvct_el0);
	while (sysreg_read(cntvct_el0) - t0 < 2 * f)
		;
	print("dma: aiming at 0x%lx\n", (unsigned long)GUEST_DMA_VICTIM);
	r = blk_read(GUEST_DMA_VICTIM);
	print("dma: victim read %d (device status 0x%x)\n", r, C8(0x14));
#ifdef GUEST_DMA_HYP
	/* Baohu's own image (physical): not in our IPA space either. */
	print("dma: aiming at Baohu at 0x%lx\n", (unsigned long)GUEST_DMA_HYP);
	r = blk_read(GUEST_DMA_HYP);
	print("dma: Baohu read %d (device status 0x%x)\n", r, C8(0x14));
#endif
	print("dma: done\n");
}
#endif

#if GUEST_DMA_ROLE == 2
static uint32_t victim_sum(void)
{
	volatile uint32_t *p = (volatile uint32_t *)GUEST_DMA_VICTIM_IPA;
	uint32_t s = 0;
	for (unsigned i = 0; i < 128; i++)
		s = s * 31 + p[i];
	return s;
}

void dma_victim_init(void)
{
	volatile uint32_t *p = (volatile uint32_t *)GUEST_DMA_VICTIM_IPA;
	for (unsigned i = 0; i < 128; i++)
		p[i] = 0x5a5a0000u + i;
	print("victim checksum 0x%x\n", victim_sum());
}

void dma_victim_tick(void)
{
	print("victim checksum 0x%x\n", victim_sum());
}
#endif
