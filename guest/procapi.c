/*
 * procapi CAT: a tour of the process API (OSTEP 5) with the C library's
 * calls, printing only what is the same on any Linux-like kernel, so that
 * lde and qemu-riscv32 (Linux's ABI) can be compared line by line:
 *
 *   1. a pipe between two children: one writes three lines and exits 3,
 *      the other reads them as its standard input after execv(CAT, ...);
 *   2. waitpid for each, by pid: their exit statuses;
 *   3. a child blocked in read: WNOHANG finds it alive, kill ends it,
 *      waitpid sees the signal;
 *   4. a writer whose pipe has no reader: SIGPIPE ends it;
 *   5. execv of a missing file fails and the caller goes on; wait with no
 *      child left fails with ECHILD.
 *
 * CAT is the path of the cat program: /bin/cat under lde; under qemu-user,
 * a host script that runs cat.elf with qemu (qemu-user cannot execve a
 * RISC-V program by itself without binfmt_misc). No pids are printed:
 * they differ between kernels. Exits 0 if every step went as expected.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int failures;

static void expect(int ok, const char *what)
{
    if (!ok) {
        printf("procapi: FAILED: %s\n", what);
        failures++;
    }
}

/* "exit 3", "signal 15 (SIGTERM)" */
static void describe(int st, char *buf, size_t len)
{
    if (WIFEXITED(st))
        snprintf(buf, len, "exit %d", WEXITSTATUS(st));
    else if (WIFSIGNALED(st))
        snprintf(buf, len, "signal %s",
                 WTERMSIG(st) == SIGTERM   ? "SIGTERM"
                 : WTERMSIG(st) == SIGPIPE ? "SIGPIPE"
                                           : "other");
    else
        snprintf(buf, len, "status 0x%x", st);
}

static int reap(pid_t pid)
{
    int st = -1;
    expect(waitpid(pid, &st, 0) == pid, "waitpid");
    return st;
}

static void report(const char *who, int st)
{
    char how[32];
    describe(st, how, sizeof how);
    printf("procapi: %s: %s\n", who, how);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        printf("usage: procapi CAT (the path of the cat program)\n");
        return 2;
    }
    int p[2];
    expect(pipe(p) == 0, "pipe");
    fflush(stdout); /* a child must not print our buffer again */

    pid_t writer = fork();
    if (writer == 0) {
        close(p[0]);
        const char text[] = "one\ntwo\nthree\n";
        write(p[1], text, sizeof text - 1);
        _exit(3);
    }
    pid_t reader = fork();
    if (reader == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        char *cat[] = {"cat", NULL};
        execv(argv[1], cat);
        printf("procapi: execv %s: %s\n", argv[1], strerror(errno));
        _exit(127);
    }
    expect(writer > 0 && reader > 0, "fork");
    close(p[0]);
    close(p[1]);
    /* cat prints as it reads: report once both have ended. */
    int wst = reap(writer), rst = reap(reader);
    report("writer", wst);
    report("cat", rst);
    expect(WIFEXITED(wst) && WEXITSTATUS(wst) == 3, "writer's status");
    expect(rst == 0, "cat's status");

    expect(pipe(p) == 0, "pipe");
    fflush(stdout);
    pid_t blocked = fork();
    if (blocked == 0) {
        char c;
        close(p[1]);
        read(p[0], &c, 1); /* nobody writes: blocks until killed */
        _exit(0);
    }
    int st;
    expect(waitpid(blocked, &st, WNOHANG) == 0, "WNOHANG on a live child");
    printf("procapi: WNOHANG: still running\n");
    expect(kill(blocked, SIGTERM) == 0, "kill");
    st = reap(blocked);
    report("killed reader", st);
    expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, "killed by SIGTERM");
    close(p[1]);

    /* p[0] is the only read end left: close it, and write. */
    close(p[0]);
    expect(pipe(p) == 0, "pipe");
    close(p[0]);
    pid_t broken = fork();
    if (broken == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    close(p[1]);
    st = reap(broken);
    report("writer without reader", st);
    expect(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE, "SIGPIPE");

    char *none[] = {"none", NULL};
    expect(execv("/no/such/program", none) == -1 && errno == ENOENT,
           "execv of a missing file");
    printf("procapi: execv of a missing file: %s\n", strerror(errno));
    expect(wait(&st) == -1 && errno == ECHILD, "wait with no child");
    printf("procapi: wait with no child: %s\n", strerror(errno));
    printf("procapi: %s\n", failures ? "FAILED" : "ok");
    return failures != 0;
}
