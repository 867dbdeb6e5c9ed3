/* baohu-ipc: Linux user-space peer of the RTOS pong (guests/baremetal/ipc.c) over a Baohu shared-memory object. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

/* The channel layout and events both peers agree on (guests/baremetal/ipc.c). */
#define IPC_READY 0xb0b0b0b0u
#define IPC_WORDS 256
#define EVENT_PING 1
#define EVENT_PONG 2
#define DOORBELL_NOTIFY 0x0  /* W: event number */
#define DOORBELL_PENDING 0x4 /* R: events raised towards us, cleared by the read */

struct channel {
    volatile uint32_t ready, seq, ack, bad;
    volatile uint32_t data[IPC_WORDS];
};

static uint32_t pattern(uint32_t round, uint32_t j)
{
    return round * 0x10001u ^ (j * 0x9e3779b9u);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static uint64_t be64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

/* The generated device tree names the object as a "generic-uio" node whose
 * reg is <object>, <doorbell page> (tools/config_dts.c, 2 address and 2 size
 * cells). */
static int find_object(uint64_t *shm, uint64_t *shm_size, uint64_t *db)
{
    DIR *d = opendir("/proc/device-tree");
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char path[512], buf[256];
        snprintf(path, sizeof path, "/proc/device-tree/%s/compatible", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        if (strcmp(buf, "generic-uio"))
            continue;
        unsigned char reg[64];
        snprintf(path, sizeof path, "/proc/device-tree/%s/reg", e->d_name);
        f = fopen(path, "r");
        n = f ? fread(reg, 1, sizeof reg, f) : 0;
        if (f)
            fclose(f);
        if (n < 32)
            continue;
        *shm = be64(reg);
        *shm_size = be64(reg + 8);
        *db = be64(reg + 16);
        printf("baohu-ipc: object %s at 0x%llx (%llu KiB), doorbell 0x%llx\n", e->d_name,
               (unsigned long long)*shm, (unsigned long long)(*shm_size >> 10),
               (unsigned long long)*db);
        closedir(d);
        return 0;
    }
    if (d)
        closedir(d);
    return -1;
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 10;
    uint64_t shm_pa, shm_size, db_pa;
    if (find_object(&shm_pa, &shm_size, &db_pa)) {
        printf("baohu-ipc: no generic-uio node in the device tree\n");
        return 1;
    }
    /* With UIO (uio_pdrv_genirq, or any driver giving map0 = object, map1 =
     * doorbell) the doorbell interrupt wakes read(); without it the doorbell
     * page's PENDING register is polled through /dev/mem. */
    int uio = open("/dev/uio0", O_RDWR);
    int fd = uio >= 0 ? uio : open("/dev/mem", O_RDWR | O_SYNC);
    if (fd < 0) {
        printf("baohu-ipc: cannot open /dev/uio0 or /dev/mem: %s\n", strerror(errno));
        return 1;
    }
    long pg = sysconf(_SC_PAGESIZE);
    off_t shm_off = uio >= 0 ? 0 : (off_t)shm_pa;
    off_t db_off = uio >= 0 ? pg : (off_t)db_pa;
    struct channel *ch = mmap(NULL, shm_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, shm_off);
    volatile uint32_t *db = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_SHARED, fd, db_off);
    if (ch == MAP_FAILED || db == MAP_FAILED) {
        printf("baohu-ipc: mmap failed: %s\n", strerror(errno));
        return 1;
    }
    printf("baohu-ipc: using %s\n", uio >= 0 ? "/dev/uio0 (doorbell interrupt)"
                                            : "/dev/mem (polling the doorbell page)");
    double t0 = now();
    while (ch->ready != IPC_READY)
        if (now() - t0 > 10) {
            printf("baohu-ipc: peer never became ready\n");
            return 1;
        }
    printf("baohu-ipc: peer ready\n");
    db[DOORBELL_PENDING / 4]; /* drop events older than this run */
    int ok = 0;
    double total = 0;
    for (uint32_t round = 1; round <= (uint32_t)rounds; round++) {
        for (uint32_t j = 0; j < IPC_WORDS; j++)
            ch->data[j] = pattern(round, j);
        ch->seq = round;
        __sync_synchronize();
        uint32_t one = 1, count;
        if (uio >= 0 && write(uio, &one, sizeof one) != sizeof one) /* unmask the interrupt */
            break;
        double t = now();
        db[DOORBELL_NOTIFY / 4] = EVENT_PING;
        uint32_t events = 0;
        while (!(events & (1u << EVENT_PONG)) && now() - t < 5) {
            /* Each doorbell interrupt bumps the UIO event count. */
            struct pollfd p = {.fd = uio, .events = POLLIN};
            if (uio >= 0 && poll(&p, 1, 1000) == 1 && read(uio, &count, sizeof count) != sizeof count)
                break;
            events |= db[DOORBELL_PENDING / 4];
        }
        total += now() - t;
        __sync_synchronize();
        int good = (events & (1u << EVENT_PONG)) && ch->ack == round;
        for (uint32_t j = 0; j < IPC_WORDS; j++)
            good &= ch->data[j] == ~pattern(round, j);
        ok += good;
        if (!good)
            printf("baohu-ipc: round %u failed (events 0x%x, ack %u)\n", round, events, ch->ack);
    }
    /* The RTOS reports its own count on the same UART right after the last
     * answer: let that line go out first, or the two interleave char by char. */
    usleep(200000);
    printf("baohu-ipc: %d/%d round trips ok, peer saw %u bad words, %.0f us average\n", ok,
           rounds, ch->bad, total / rounds * 1e6);
    return ok == rounds ? 0 : 1;
}
