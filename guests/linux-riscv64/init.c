/* /init of the RISC-V Linux VM: mounts proc/sys/dev, prints what the tests check, runs /bin/sh on ttyS0, then powers the VM off. */
#include <fcntl.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

/* The first line of a small text file, without its newline ("?" if unreadable). */
static const char *read_line(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "r");
    if (!f || !fgets(buf, (int)size, f)) {
        if (f)
            fclose(f);
        return "?";
    }
    fclose(f);
    buf[strcspn(buf, "\n")] = '\0';
    return buf;
}

/*
 * The shell on the VM's virtual NS16550A (config vuart, Linux's ttyS0): the
 * only console that gets typed input. /dev/console is hvc0, the SBI legacy
 * console, whose getchar Baohu answers with "nothing". The child starts a
 * session and takes ttyS0 as its controlling terminal (TIOCSCTTY, ioctl_tty(2)),
 * so Ctrl-C and job control signals reach what it runs. Returns when the
 * shell exits; orphans reparented to init are reaped meanwhile.
 */
static void run_shell(void)
{
    static const char tty[] = "/dev/ttyS0";
    if (access(tty, F_OK) != 0) {
        printf("linux init: no %s (VM without vuart), no shell\n", tty);
        return;
    }
    pid_t pid = fork();
    if (pid < 0) {
        printf("linux init: fork failed\n");
        return;
    }
    if (pid == 0) {
        setsid();
        int fd = open(tty, O_RDWR);
        if (fd < 0 || ioctl(fd, TIOCSCTTY, 0) < 0) {
            printf("linux init: cannot take %s as the shell's terminal\n", tty);
            _exit(1);
        }
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2)
            close(fd);
        execl("/bin/sh", "sh", (char *)NULL);
        printf("linux init: cannot run /bin/sh\n");
        _exit(127);
    }
    printf("linux init: shell on %s (pid %d)\n", tty, (int)pid);
    int st;
    pid_t done;
    while ((done = wait(&st)) != pid)
        if (done < 0)
            return;
    printf("linux init: shell exited (status %d)\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

int main(void)
{
    char online[64], uptime[64];
    struct utsname u;

    /* The kernel may have found no /dev/console in the archive (cpio built
     * without root): take the console from devtmpfs. */
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int fd = open("/dev/console", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2)
            close(fd);
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    printf("linux init: hello from riscv64\n");
    mount("proc", "/proc", "proc", 0, NULL);
    mount("sysfs", "/sys", "sysfs", 0, NULL);
    uname(&u);
    printf("linux init: %s %s %s on %s\n", u.sysname, u.release, u.machine, u.nodename);
    printf("linux init: cpus online %s (%ld)\n",
           read_line("/sys/devices/system/cpu/online", online, sizeof(online)),
           sysconf(_SC_NPROCESSORS_ONLN));
    printf("linux init: uptime %s\n", read_line("/proc/uptime", uptime, sizeof(uptime)));
    /* A second of Linux running on timer interrupts (vstimecmp), during
     * which the other VM must keep its own tick. */
    sleep(1);
    printf("linux init: slept 1 s, uptime %s\n", read_line("/proc/uptime", uptime, sizeof(uptime)));
    run_shell();
    printf("linux init: powering off\n");
    sync();
    /* Ends in SBI SRST shutdown: only this VM stops. */
    reboot(LINUX_REBOOT_CMD_POWER_OFF);
    printf("linux init: power off failed\n");
    for (;;)
        pause();
}
