/*
 * baohu-perf: what `perf stat -e cycles:u,cycles:h` would report for a busy
 * loop of this process, through perf_event_open(2) directly (Debian's perf
 * is not in the initramfs). Under Baohu the PMU is the VM's own but never
 * counts EL2: the hypervisor-only count must be 0 while the user count is
 * not, though timer interrupts take the CPU through EL2 all along.
 */
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int open_cycles(int user, int kernel, int hv)
{
    struct perf_event_attr a;

    memset(&a, 0, sizeof a);
    a.size = sizeof a;
    a.type = PERF_TYPE_HARDWARE;
    a.config = PERF_COUNT_HW_CPU_CYCLES;
    a.disabled = 1;
    a.exclude_user = !user;
    a.exclude_kernel = !kernel;
    a.exclude_hv = !hv;
    return (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
}

static double now(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(void)
{
    int user = open_cycles(1, 0, 0), hyp = open_cycles(0, 0, 1);
    uint64_t cu = 0, ch = 0;
    volatile uint64_t spin = 0;

    if (user < 0 || hyp < 0) {
        perror("baohu-perf: perf_event_open");
        return 1;
    }
    ioctl(user, PERF_EVENT_IOC_ENABLE, 0);
    ioctl(hyp, PERF_EVENT_IOC_ENABLE, 0);
    /* Half a second: a few dozen timer interrupts go through EL2. */
    for (double end = now() + 0.5; now() < end;)
        for (int i = 0; i < 10000; i++)
            spin++;
    ioctl(user, PERF_EVENT_IOC_DISABLE, 0);
    ioctl(hyp, PERF_EVENT_IOC_DISABLE, 0);
    if (read(user, &cu, sizeof cu) != sizeof cu || read(hyp, &ch, sizeof ch) != sizeof ch) {
        perror("baohu-perf: read");
        return 1;
    }
    printf("baohu-perf: cycles user %s, hypervisor %llu\n", cu ? "counted" : "0",
           (unsigned long long)ch);
    return 0;
}
