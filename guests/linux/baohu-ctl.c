/* baohu-ctl: list, stop, start and restart Baohu's VMs and read their statistics, from the manager VM (through /dev/baohu-ctl). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <baohu/hypercall.h>
#include "baohu_ctl/baohu_ctl.h"

#define FN(id) ((id) & 0xffffu) /* the function number of a BAOHU_HC_* id */

static int ctl_fd = -1;

static const char *error_name(long long r)
{
	switch (r) {
	case BAOHU_HC_ERR_NOT_SUPPORTED: return "not supported";
	case BAOHU_HC_ERR_INVALID_PARAM: return "no such VM";
	case BAOHU_HC_ERR_DENIED: return "denied (this VM is not the manager)";
	case BAOHU_HC_ERR_ALREADY_RUNNING: return "already running";
	case BAOHU_HC_ERR_ALREADY_STOPPED: return "already stopped";
	case BAOHU_HC_ERR_BUSY: return "busy (a reset is under way)";
	case BAOHU_HC_ERR_SELF: return "the manager cannot do that to itself";
	default: return "error";
	}
}

/* One management call; Baohu's result (the record, if any, in c). */
static long long ctl_call(unsigned fn, unsigned vm, struct baohu_ctl_call *c)
{
	memset(c, 0, sizeof(*c));
	c->call = fn;
	c->vm = vm;
	if (ioctl(ctl_fd, BAOHU_CTL_CALL, c) < 0) {
		fprintf(stderr, "baohu-ctl: /dev/baohu-ctl: %s\n", strerror(errno));
		exit(2);
	}
	return c->result;
}

static const char *state_name(unsigned s)
{
	return s == BAOHU_VM_RUNNING ? "running" : s == BAOHU_VM_RESETTING ? "resetting" : "stopped";
}

/* VM_INFO of `vm`: the VM count, or an error. */
static long long vm_info(unsigned vm, struct baohu_vm_info *info)
{
	struct baohu_ctl_call c;
	long long r = ctl_call(FN(BAOHU_HC_VM_INFO), vm, &c);

	memcpy(info, c.record, sizeof(*info));
	info->name[sizeof(info->name) - 1] = '\0';
	return r;
}

static int list(void)
{
	struct baohu_vm_info info;
	long long n = 1;

	printf("%-3s %-16s %-10s %5s %12s %7s %7s  %s\n", "ID", "NAME", "STATE", "VCPUS", "UPTIME(s)",
	       "RESETS", "FAULTS", "ROLE");
	for (long long id = 0; id < n; id++) {
		n = vm_info((unsigned)id, &info);
		if (n < 0) {
			fprintf(stderr, "baohu-ctl: list: %s (%lld)\n", error_name(n), n);
			return 1;
		}
		printf("%-3lld %-16s %-10s %5u %12.3f %7llu %7llu  %s%s%s\n", id, info.name,
		       state_name(info.state), info.vcpus, (double)info.uptime_ns / 1e9,
		       (unsigned long long)info.resets, (unsigned long long)info.faults,
		       (info.flags & BAOHU_VM_MANAGER) ? "manager" : "",
		       (info.flags & BAOHU_VM_MANAGER) && (info.flags & BAOHU_VM_WATCHDOG) ? "," : "",
		       (info.flags & BAOHU_VM_WATCHDOG) ? "watchdog" : "");
	}
	return 0;
}

/* A VM named by its name or its id. */
static int vm_lookup(const char *arg, unsigned *out)
{
	struct baohu_vm_info info;
	char *end;
	unsigned long id = strtoul(arg, &end, 10);
	long long n = vm_info(0, &info);

	if (*arg && !*end && (long long)id < n) {
		*out = (unsigned)id;
		return 0;
	}
	for (long long i = 0; i < n; i++) {
		if (vm_info((unsigned)i, &info) >= 0 && strcmp(info.name, arg) == 0) {
			*out = (unsigned)i;
			return 0;
		}
	}
	if (n < 0)
		fprintf(stderr, "baohu-ctl: %s (%lld)\n", error_name(n), n);
	else
		fprintf(stderr, "baohu-ctl: no VM '%s'\n", arg);
	return -1;
}

static int control(const char *what, unsigned fn, const char *arg)
{
	struct baohu_ctl_call c;
	unsigned vm;

	if (vm_lookup(arg, &vm) < 0)
		return 1;
	long long r = ctl_call(fn, vm, &c);
	if (r < 0) {
		printf("baohu-ctl: %s %s: %s (%lld)\n", what, arg, error_name(r), r);
		return 1;
	}
	printf("baohu-ctl: %s %s: ok\n", what, arg);
	return 0;
}

static int stats(const char *arg)
{
	static const char *const causes[BAOHU_EXIT_CAUSES] = {"irq", "call", "mmio", "sysreg", "wfi", "other"};
	struct baohu_ctl_call c;
	struct baohu_vm_stats st;
	unsigned long long total = 0;
	unsigned vm;

	if (vm_lookup(arg, &vm) < 0)
		return 1;
	long long r = ctl_call(FN(BAOHU_HC_VM_STATS), vm, &c);
	if (r < 0) {
		printf("baohu-ctl: stats %s: %s (%lld)\n", arg, error_name(r), r);
		return 1;
	}
	memcpy(&st, c.record, sizeof(st));
	printf("%s exits:", arg);
	for (int i = 0; i < BAOHU_EXIT_CAUSES; i++) {
		total += st.exits[i];
		if (causes[i])
			printf(" %s %llu", causes[i], (unsigned long long)st.exits[i]);
	}
	printf(" (total %llu)\n", total);
	printf("%s interrupts injected: %llu\n", arg, (unsigned long long)st.irqs_injected);
	printf("%s faults: %llu, resets: %llu, watchdog expiries: %llu\n", arg,
	       (unsigned long long)st.faults, (unsigned long long)st.resets,
	       (unsigned long long)st.watchdog_expiries);
	return 0;
}

static int usage(void)
{
	fprintf(stderr, "usage: baohu-ctl list | stop VM | start VM | restart VM | stats VM  (VM: name or id)\n");
	return 2;
}

int main(int argc, char **argv)
{
	if (argc < 2 || (strcmp(argv[1], "list") != 0 && argc != 3))
		return usage();
	ctl_fd = open("/dev/baohu-ctl", O_RDWR);
	if (ctl_fd < 0) {
		fprintf(stderr, "baohu-ctl: /dev/baohu-ctl: %s (is the baohu_ctl module loaded?)\n",
			strerror(errno));
		return 2;
	}
	if (strcmp(argv[1], "list") == 0)
		return list();
	if (strcmp(argv[1], "stop") == 0)
		return control("stop", FN(BAOHU_HC_VM_STOP), argv[2]);
	if (strcmp(argv[1], "start") == 0)
		return control("start", FN(BAOHU_HC_VM_START), argv[2]);
	if (strcmp(argv[1], "restart") == 0)
		return control("restart", FN(BAOHU_HC_VM_RESTART), argv[2]);
	if (strcmp(argv[1], "stats") == 0)
		return stats(argv[2]);
	return usage();
}
