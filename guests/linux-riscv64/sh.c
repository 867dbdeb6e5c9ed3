/* /bin/sh of the RISC-V Linux VM: a prompt, whitespace-separated words, a few builtins, fork/exec by path. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX_LEN 512
#define WORDS_MAX 32

static int status; /* of the last command, what `exit` without an argument returns */

/* Writes a file (or stdin for "-") to stdout; 0 on success. */
static int cat_one(const char *path)
{
    int fd = strcmp(path, "-") ? open(path, O_RDONLY) : 0;
    if (fd < 0) {
        fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
        return 1;
    }
    char buf[1024];
    ssize_t n;
    int rc = 0;
    fflush(stdout);
    while ((n = read(fd, buf, sizeof(buf))) != 0) {
        if (n < 0) {
            if (errno == EINTR)
                continue;
            fprintf(stderr, "cat: %s: %s\n", path, strerror(errno));
            rc = 1;
            break;
        }
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(1, buf + off, (size_t)(n - off));
            if (w < 0 && errno != EINTR)
                return 1;
            off += w > 0 ? w : 0;
        }
    }
    if (fd > 0)
        close(fd);
    return rc;
}

/* One name a line; a directory's entries in readdir order, without . and .. */
static int ls_one(const char *path)
{
    DIR *d = opendir(path);
    if (!d) {
        /* Not a directory: show the name, as ls does for a file. */
        if (errno == ENOTDIR && access(path, F_OK) == 0) {
            printf("%s\n", path);
            return 0;
        }
        fprintf(stderr, "ls: %s: %s\n", path, strerror(errno));
        return 1;
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            printf("%s%s\n", e->d_name, e->d_type == DT_DIR ? "/" : "");
    closedir(d);
    return 0;
}

/* Runs argv[0] as a program: only by path (there is no PATH search). */
static int run(char **argv)
{
    if (!strchr(argv[0], '/')) {
        fprintf(stderr, "sh: %s: not found\n", argv[0]);
        return 127;
    }
    fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "sh: fork: %s\n", strerror(errno));
        return 1;
    }
    if (pid == 0) {
        /* The shell ignores Ctrl-C; what it starts must not. */
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        execv(argv[0], argv);
        int err = errno;
        fprintf(stderr, "sh: %s: %s\n", argv[0], err == ENOENT ? "not found" : strerror(err));
        _exit(err == ENOENT ? 127 : 126);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return 1;
    if (WIFSIGNALED(st)) {
        printf("sh: %s: killed by signal %d\n", argv[0], WTERMSIG(st));
        return 128 + WTERMSIG(st);
    }
    return WEXITSTATUS(st);
}

/* A builtin's status, or -1 if argv[0] is none. */
static int builtin(int argc, char **argv)
{
    const char *cmd = argv[0];
    int rc = 0;
    if (!strcmp(cmd, "echo")) {
        for (int i = 1; i < argc; i++)
            printf("%s%s", argv[i], i + 1 < argc ? " " : "");
        printf("\n");
    } else if (!strcmp(cmd, "pwd")) {
        char cwd[256];
        if (!getcwd(cwd, sizeof(cwd))) {
            fprintf(stderr, "pwd: %s\n", strerror(errno));
            return 1;
        }
        printf("%s\n", cwd);
    } else if (!strcmp(cmd, "cd")) {
        const char *dir = argc > 1 ? argv[1] : "/";
        if (chdir(dir) < 0) {
            fprintf(stderr, "cd: %s: %s\n", dir, strerror(errno));
            return 1;
        }
    } else if (!strcmp(cmd, "cat")) {
        for (int i = 1; i < argc; i++)
            rc |= cat_one(argv[i]);
        if (argc == 1)
            rc = cat_one("-");
    } else if (!strcmp(cmd, "ls")) {
        for (int i = 1; i < argc; i++)
            rc |= ls_one(argv[i]);
        if (argc == 1)
            rc = ls_one(".");
    } else if (!strcmp(cmd, "exit")) {
        fflush(stdout);
        exit(argc > 1 ? atoi(argv[1]) : status);
    } else if (!strcmp(cmd, "help")) {
        printf("builtins: echo cd pwd cat ls exit help; other programs by path (e.g. /bin/sh)\n");
    } else {
        return -1;
    }
    return rc;
}

int main(void)
{
    char line[LINE_MAX_LEN];
    char *argv[WORDS_MAX + 1];

    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (;;) {
        printf("# ");
        fflush(stdout);
        if (!fgets(line, sizeof(line), stdin)) {
            if (ferror(stdin) && errno == EINTR) {
                clearerr(stdin);
                continue;
            }
            printf("\n");
            return status; /* end of input (Ctrl-D) */
        }
        int argc = 0;
        for (char *w = strtok(line, " \t\r\n"); w; w = strtok(NULL, " \t\r\n")) {
            if (argc == WORDS_MAX) {
                fprintf(stderr, "sh: more than %d words\n", WORDS_MAX);
                argc = -1;
                break;
            }
            argv[argc++] = w;
        }
        if (argc <= 0)
            continue;
        argv[argc] = NULL;
        int rc = builtin(argc, argv);
        status = rc >= 0 ? rc : run(argv);
    }
}
