/* Inter-VM ping-pong over a Baohu shared-memory object and its doorbells (GUEST_IPC_ROLE), on both architectures. */
#include <baohu/hypercall.h>
#include "guest.h"

#if GUEST_IPC_ROLE
#define IPC_ID 0           /* the object's index in the config's shmem list */
#define IPC_READY 0xb0b0b0b0u
#define IPC_WORDS 256
#define EVENT_PING 1
#define EVENT_PONG 2
#define DOORBELL_NOTIFY 0x0
#define DOORBELL_PENDING 0x4

/* The layout both peers agree on, at the start of the object. */
struct channel {
	volatile uint32_t ready; /* written by pong once it listens */
	volatile uint32_t seq;   /* round written by ping */
	volatile uint32_t ack;   /* round answered by pong */
	volatile uint32_t bad;   /* data mismatches pong saw */
	volatile uint32_t data[IPC_WORDS];
};

#define CHANNEL ((struct channel *)GUEST_IPC_SHM)

static volatile uint32_t doorbells;
static uint32_t pong_rounds;

static uint32_t pattern(uint32_t round, uint32_t j)
{
	return round * 0x10001u ^ (j * 0x9e3779b9u);
}

static void ipc_init(void)
{
	ipc_doorbell_enable(GUEST_IPC_IRQ);
	if (GUEST_IPC_ROLE == 2) {
		CHANNEL->ready = IPC_READY;
		mb();
		print("ipc pong ready\n");
	}
}

/* The doorbell interrupt. Pong answers right here, through its doorbell page. */
void ipc_irq(void)
{
	doorbells++;
	if (GUEST_IPC_ROLE != 2)
		return;
	uint32_t events = mmio_r32(GUEST_IPC_DOORBELL + DOORBELL_PENDING);
	if (!(events & (1u << EVENT_PING)))
		return;
	uint32_t round = CHANNEL->seq;
	for (uint32_t j = 0; j < IPC_WORDS; j++) {
		uint32_t v = CHANNEL->data[j];
		if (v != pattern(round, j))
			CHANNEL->bad++;
		CHANNEL->data[j] = ~v;
	}
	CHANNEL->ack = round;
	mb();
	mmio_w32(GUEST_IPC_DOORBELL + DOORBELL_NOTIFY, EVENT_PONG);
	if (++pong_rounds == GUEST_IPC_ROUNDS)
		print("ipc pong: %u rounds answered\n", pong_rounds);
}

/* Ping: N round trips, each checked on both sides, timed with the guest's
 * counter (timer_now: Arm's virtual counter, RISC-V's time CSR). */
static void ipc_ping(void)
{
	print("ipc notify bad event = %ld\n", baohu_hc(BAOHU_HC_IPC_NOTIFY, IPC_ID, 40));
	print("ipc notify bad id = %ld\n", baohu_hc(BAOHU_HC_IPC_NOTIFY, 7, EVENT_PING));
	while (CHANNEL->ready != IPC_READY)
		cpu_relax();
	uint32_t ok = 0;
	uint64_t total = 0;
	static uint64_t rtt[GUEST_IPC_ROUNDS];
	for (uint32_t round = 1; round <= GUEST_IPC_ROUNDS; round++) {
		for (uint32_t j = 0; j < IPC_WORDS; j++)
			CHANNEL->data[j] = pattern(round, j);
		CHANNEL->seq = round;
		mb();
		uint32_t seen = doorbells;
		uint64_t t0 = timer_now();
		int64_t r = baohu_hc(BAOHU_HC_IPC_NOTIFY, IPC_ID, EVENT_PING);
		while (doorbells == seen)
			cpu_relax();
		rtt[round - 1] = timer_now() - t0;
		total += rtt[round - 1];
		int64_t events = baohu_hc(BAOHU_HC_IPC_EVENTS, IPC_ID, 0);
		uint32_t good = r == 0 && CHANNEL->ack == round && events == (1 << EVENT_PONG);
		for (uint32_t j = 0; j < IPC_WORDS; j++)
			good &= CHANNEL->data[j] == ~pattern(round, j);
		ok += good;
	}
	print("ipc ping: %u/%u round trips ok, peer saw %u bad words\n", ok,
	      (uint32_t)GUEST_IPC_ROUNDS, CHANNEL->bad);
	print("ipc round trip: %lu counter ticks on average\n", total / GUEST_IPC_ROUNDS);
	/* The distribution (make bench): insertion sort of the samples. */
	for (uint32_t i = 1; i < GUEST_IPC_ROUNDS; i++) {
		uint64_t v = rtt[i];
		uint32_t j = i;
		for (; j > 0 && rtt[j - 1] > v; j--)
			rtt[j] = rtt[j - 1];
		rtt[j] = v;
	}
	print("ipc round trip: n=%u min=%lu median=%lu max=%lu counter ticks\n",
	      (uint32_t)GUEST_IPC_ROUNDS, rtt[0], rtt[GUEST_IPC_ROUNDS / 2], rtt[GUEST_IPC_ROUNDS - 1]);
}

/* A VM that was not given the object may not ring its peers. */
static void ipc_intrude(void)
{
	print("ipc notify without the object = %ld\n", baohu_hc(BAOHU_HC_IPC_NOTIFY, IPC_ID, EVENT_PING));
}

void ipc_run(void)
{
	if (GUEST_IPC_ROLE != 3)
		ipc_init();
	irq_unmask();
	if (GUEST_IPC_ROLE == 1)
		ipc_ping();
	if (GUEST_IPC_ROLE == 3)
		ipc_intrude();
}
#endif
