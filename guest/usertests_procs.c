/*
 * usertests_procs.c: the process API (OSTEP 5) and pipes, through the C
 * library's calls where it has them (fork, execve, waitpid, pipe, dup2,
 * kill, ...) and the raw system calls where the checks need the kernel's
 * own answer (waitid's siginfo, clone's flags, error cases libc would
 * catch first). Every child a test makes is waited for before the test
 * returns, so that no test sees another's children.
 */
#define _GNU_SOURCE /* pipe2, as with glibc */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lde.h"
#include "usertests.h"

extern char **environ;

/* A bad user address, out of GCC's sight (it would warn about it). */
static volatile uintptr_t bad_address = 16;
#define BAD(type) ((type)bad_address)

/* A child that ends at once with status st; returns its pid. */
static pid_t child_exit(int st)
{
    pid_t pid = fork();
    if (pid == 0)
        _exit(st);
    return pid;
}

/* A child that blocks reading pipe p (until the caller closes the write
 * end, or the child is killed), then exits 3. */
static pid_t child_blocked(const int p[2])
{
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(p[1]);
        while (read(p[0], &c, 1) > 0)
            continue;
        _exit(3);
    }
    return pid;
}

/* waitpid(pid) and the status word; -1 if that failed. */
static int reap(pid_t pid)
{
    int st;
    return waitpid(pid, &st, 0) == pid ? st : -1;
}

/* Read exactly n bytes (or until end of file); returns how many. */
static size_t read_full(int fd, void *buf, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    return got;
}

/* ---- fork --------------------------------------------------------------- */

static int g_value = 1; /* data segment */

/* The child runs on a copy of the parent's memory (data, heap, stack),
 * knows its parent, and returns 0 from fork; the parent gets its pid and
 * does not see the child's stores. */
enum result t_fork(void)
{
    int on_stack = 10;
    char *heap = malloc(4096);
    CHECK(heap != NULL, "malloc failed");
    memset(heap, 0x5A, 4096);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        int ok = g_value == 1 && on_stack == 10 && heap[0] == 0x5A &&
                 heap[4095] == 0x5A && getppid() == parent &&
                 getpid() != parent;
        g_value = 2;
        on_stack = 20;
        heap[0] = 0;
        _exit(ok ? 7 : 1);
    }
    CHECK(pid > 0, "fork() = %d (errno %d)", (int)pid, errno);
    int st = reap(pid);
    CHECK(st >= 0, "waitpid(%d) failed (errno %d)", (int)pid, errno);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 7,
          "child's view of memory or ids wrong (status 0x%x)", st);
    CHECK(g_value == 1 && on_stack == 10 && heap[0] == 0x5A,
          "the child's stores reached the parent");
    free(heap);
    return PASS;
}

/* ---- wait -----------------------------------------------------------------
 */

enum result t_wait(void)
{
    int st;
    errno = 0;
    CHECK(wait(&st) == -1 && errno == ECHILD, "wait with no child: errno %d",
          errno);
    CHECK(waitpid(getpid(), &st, 0) == -1 && errno == ECHILD,
          "waitpid(self): errno %d", errno);

    /* WNOHANG: nothing yet from a blocked child; then its status. */
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid_t blocked = child_blocked(p);
    CHECK(blocked > 0, "fork failed");
    CHECK(waitpid(blocked, &st, WNOHANG) == 0, "WNOHANG on a live child");
    CHECK(waitpid(-1, &st, WNOHANG) == 0, "WNOHANG, any child");
    close(p[0]);
    close(p[1]); /* the child sees end of file and exits 3 */
    CHECK(reap(blocked) == 3 << 8, "blocked child: status");

    /* Two children: waitpid picks the one asked for; wait any one. */
    pid_t a = child_exit(11), b = child_exit(22);
    CHECK(a > 0 && b > 0, "fork failed");
    CHECK(reap(b) == 22 << 8, "waitpid(b) did not give b's status");
    pid_t w = wait(&st);
    CHECK(w == a && WEXITSTATUS(st) == 11, "wait() = %d, status %d", (int)w,
          WEXITSTATUS(st));
    CHECK(wait(NULL) == -1 && errno == ECHILD, "all reaped: ECHILD");
    /* The low 8 bits of exit's status only, as on Linux. */
    CHECK(reap(child_exit(0x1234)) == 0x34 << 8, "exit status & 0xff");
    return PASS;
}

/* The raw waitid: arguments, siginfo, WNOWAIT, rusage. */
enum result t_waitid(void)
{
    struct lde_siginfo si;
    CHECK(lde_waitid(LDE_P_ALL, 0, &si, 0, NULL) == -LDE_EINVAL,
          "options 0: not -EINVAL");
    CHECK(lde_waitid(LDE_P_ALL, 0, &si, LDE_WEXITED | 0x100, NULL) ==
              -LDE_EINVAL,
          "unknown option: not -EINVAL");
    CHECK(lde_waitid(LDE_P_PID, 0, &si, LDE_WEXITED, NULL) == -LDE_EINVAL,
          "P_PID 0: not -EINVAL");
    CHECK(lde_waitid(7, 0, &si, LDE_WEXITED, NULL) == -LDE_EINVAL,
          "idtype 7: not -EINVAL");
    CHECK(lde_waitid(LDE_P_ALL, 0, &si, LDE_WEXITED, NULL) == -LDE_ECHILD,
          "no child: not -ECHILD");

    pid_t pid = child_exit(5);
    CHECK(pid > 0, "fork failed");
    if (under_lde) { /* Linux checks infop only after it has waited */
        CHECK(lde_waitid(LDE_P_PID, pid, BAD(struct lde_siginfo *), LDE_WEXITED,
                         NULL) == -LDE_EFAULT,
              "bad infop: not -EFAULT");
        CHECK(lde_waitid(LDE_P_PID, pid, &si, LDE_WEXITED, BAD(void *)) ==
                  -LDE_EFAULT,
              "bad rusage: not -EFAULT");
    }
    /* WNOWAIT reports and leaves it; the next call reaps it. */
    for (int round = 0; round < 2; round++) {
        memset(&si, 0xAA, sizeof si);
        long r = lde_waitid(LDE_P_PID, pid, &si,
                            LDE_WEXITED | (round == 0 ? LDE_WNOWAIT : 0), NULL);
        CHECK(r == 0, "waitid round %d: %ld", round, r);
        CHECK(si.signo == LDE_SIGNAL_CHLD && si.code == LDE_CLD_EXITED &&
                  si.pid == pid && si.status == 5 && si.error == 0,
              "siginfo: signo %ld code %ld pid %ld status %ld", (long)si.signo,
              (long)si.code, (long)si.pid, (long)si.status);
    }
    CHECK(lde_waitid(LDE_P_PID, pid, &si, LDE_WEXITED, NULL) == -LDE_ECHILD,
          "reaped twice");

    /* Killed: CLD_KILLED with the signal; rusage all zero; WNOHANG with
     * nothing to report zeroes the siginfo. */
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid = child_blocked(p);
    CHECK(pid > 0, "fork failed");
    memset(&si, 0xAA, sizeof si);
    CHECK(lde_waitid(LDE_P_ALL, 0, &si, LDE_WEXITED | LDE_WNOHANG, NULL) == 0 &&
              si.pid == 0 && si.signo == 0,
          "WNOHANG with nothing: pid %ld signo %ld", (long)si.pid,
          (long)si.signo);
    CHECK(kill(pid, SIGTERM) == 0, "kill failed");
    unsigned char ru[LDE_RUSAGE_SIZE];
    memset(ru, 0xAA, sizeof ru);
    CHECK(lde_waitid(LDE_P_PID, pid, &si, LDE_WEXITED, ru) == 0,
          "waitid on the killed child");
    close(p[0]);
    close(p[1]);
    CHECK(si.code == LDE_CLD_KILLED && si.status == LDE_SIGNAL_TERM,
          "killed: code %ld status %ld", (long)si.code, (long)si.status);
    if (under_lde)
        for (unsigned i = 0; i < sizeof ru; i++)
            CHECK(ru[i] == 0, "rusage byte %u not zero", i);
    return PASS;
}

/* clone: only fork's flags. */
enum result t_clone(void)
{
    CHECK(lde_syscall5(SYS_clone, 0, 0, 0, 0, 0) == -LDE_EINVAL,
          "clone(0): not -EINVAL");
    CHECK(lde_syscall5(SYS_clone, LDE_SIGNAL_CHLD | 0x100 /* CLONE_VM */, 0, 0,
                       0, 0) == -LDE_EINVAL,
          "clone(CLONE_VM | SIGCHLD): not -EINVAL");
    if (!under_lde)
        return PASS; /* Linux would run the child on that stack */
    CHECK(lde_syscall5(SYS_clone, LDE_SIGNAL_CHLD, 0x20000, 0, 0, 0) ==
              -LDE_EINVAL,
          "clone with a stack: not -EINVAL");
    return PASS;
}

/* ---- exec -----------------------------------------------------------------
 */

/* `usertests --report [ARGS]`, run by t_exec through execve: what the new
 * image got. One line: pid, parent, open fds above 2, argv, environment. */
int exec_report(int argc, char **argv)
{
    printf("pid %d ppid %d fds", (int)getpid(), (int)getppid());
    for (int fd = 3; fd < 16; fd++)
        if (fcntl(fd, F_GETFD) >= 0)
            printf(" %d", fd);
    printf(" argv");
    for (int i = 0; i < argc; i++)
        printf(" %s", argv[i]);
    printf(" env");
    for (char **e = environ; *e; e++)
        printf(" %s", *e);
    printf("\n");
    return 0;
}

/* Fork, point the child's stdout at a pipe, exec path with argv and envp
 * there; the parent reads what it printed into out. Returns the child's
 * status word, -1 if something before it failed. */
static int run_capture(const char *path, char *const argv[], char *const envp[],
                       char *out, size_t max, pid_t *child)
{
    int p[2];
    if (pipe(p) < 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execve(path, argv, envp);
        _exit(100 + errno);
    }
    close(p[1]);
    size_t n = read_full(p[0], out, max - 1);
    out[n] = '\0';
    close(p[0]);
    if (child)
        *child = pid;
    return pid < 0 ? -1 : reap(pid);
}

enum result t_exec(void)
{
    char *args[] = {"true", NULL};
    char *env[] = {NULL};
    errno = 0;
    CHECK(execve("/no/such/program", args, env) == -1 && errno == ENOENT,
          "missing file: errno %d", errno);
    CHECK(lde_execve(NULL, args, env) == -LDE_EFAULT, "NULL path");
    CHECK(lde_execve(BAD(const char *), args, env) == -LDE_EFAULT,
          "path at 16");
    if (under_lde) {
        static char longpath[300]; /* lde's limit is 256, Linux's 4096 */
        memset(longpath, 'a', sizeof longpath - 1);
        longpath[0] = '/';
        CHECK(lde_execve(longpath, args, env) == -LDE_ENAMETOOLONG,
              "a 299-byte path: not -ENAMETOOLONG");
        CHECK(lde_execve("/bin/true", BAD(char *const *), env) == -LDE_EFAULT,
              "argv at 16");
        char *bad[] = {"true", BAD(char *), NULL};
        CHECK(lde_execve("/bin/true", bad, env) == -LDE_EFAULT,
              "a bad argv string");
        CHECK(lde_execve("/bin/true", args, BAD(char *const *)) == -LDE_EFAULT,
              "envp at 16");
        /* More strings than the kernel takes (MAXARG 1024). */
        static char *many[1100];
        for (int i = 0; i < 1099; i++)
            many[i] = "x";
        CHECK(lde_execve("/bin/true", many, env) == -LDE_E2BIG,
              "1099 arguments: not -E2BIG");
        /* More bytes than it takes (64 KiB). */
        size_t big = 70000;
        char *huge = malloc(big);
        CHECK(huge != NULL, "malloc failed");
        memset(huge, 'y', big - 1);
        huge[big - 1] = '\0';
        char *one[] = {"true", huge, NULL};
        CHECK(lde_execve("/bin/true", one, env) == -LDE_E2BIG,
              "a 70000-byte argument: not -E2BIG");
        free(huge);
    }
    /* Still here, with our memory intact: the failures changed nothing. */
    CHECK(g_value == 1, "data changed by a failed execve");
    if (!under_lde)
        return PASS; /* no /bin/echo of ours there */

    /* A program runs with the arguments given; its output comes back. */
    char out[512];
    char *echo[] = {"echo", "hello", "from exec", NULL};
    int st = run_capture("/bin/echo", echo, env, out, sizeof out, NULL);
    CHECK(st == 0, "echo: status 0x%x", st);
    CHECK(strcmp(out, "hello from exec\n") == 0, "echo printed '%s'", out);

    /* The process keeps its pid, parent and open files, but those marked
     * close-on-exec; envp becomes the environment. */
    int keep[2], drop[2];
    CHECK(pipe(keep) == 0 && pipe2(drop, O_CLOEXEC) == 0, "pipes failed");
    char *rep[] = {"usertests", "--report", "a b", NULL};
    char *renv[] = {"A=1", "B=two", NULL};
    pid_t child;
    st = run_capture("/bin/usertests", rep, renv, out, sizeof out, &child);
    CHECK(st == 0, "usertests --report: status 0x%x (%s)", st, out);
    char want[256];
    /* fd 1 became the capture pipe; keep[] and drop[] came first. */
    snprintf(want, sizeof want,
             "pid %d ppid %d fds %d %d argv usertests --report a b env A=1 "
             "B=two\n",
             (int)child, (int)getpid(), keep[0], keep[1]);
    CHECK(strcmp(out, want) == 0, "report '%s', want '%s'", out, want);
    close(keep[0]);
    close(keep[1]);
    close(drop[0]);
    close(drop[1]);
    return PASS;
}

/* A file that is not a program: ENOEXEC. It needs one in the namespace:
 * `lde run --file SOMEFILE:/data/notelf usertests`. */
enum result t_exec_noexec(void)
{
    if (!under_lde)
        return skip("not under lde");
    char *args[] = {"notelf", NULL};
    char *env[] = {NULL};
    long r = lde_execve("/data/notelf", args, env);
    if (r == -LDE_ENOENT)
        return skip("no /data/notelf (lde run --file FILE:/data/notelf)");
    CHECK(r == -LDE_ENOEXEC, "/data/notelf: %ld, want -ENOEXEC", r);
    return PASS;
}

/* ---- pipes ------------------------------------------------------------ */

enum result t_pipe(void)
{
    int p[2];
    char buf[16];
    CHECK(pipe(p) == 0, "pipe: errno %d", errno);
    CHECK(p[0] > 2 && p[1] > 2 && p[0] != p[1], "fds %d %d", p[0], p[1]);
    CHECK(write(p[1], "abc", 3) == 3, "write");
    CHECK(read(p[0], buf, sizeof buf) == 3 && memcmp(buf, "abc", 3) == 0,
          "read back");
    CHECK(write(p[0], "x", 1) == -1 && errno == EBADF, "write to read end");
    CHECK(read(p[1], buf, 1) == -1 && errno == EBADF, "read from write end");

    /* A reader blocks until a writer (another process) writes. */
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 5; i++)
            sched_yield();
        _exit(write(p[1], "late", 4) == 4 ? 0 : 1);
    }
    CHECK(pid > 0, "fork failed");
    CHECK(read(p[0], buf, sizeof buf) == 4 && memcmp(buf, "late", 4) == 0,
          "blocking read");
    CHECK(reap(pid) == 0, "writer child failed");

    /* End of file only when every write end is closed. */
    int w2 = dup(p[1]);
    CHECK(w2 > 2, "dup failed");
    close(p[1]);
    CHECK(write(w2, "z", 1) == 1 && read(p[0], buf, 1) == 1,
          "one write end still open");
    close(w2);
    CHECK(read(p[0], buf, sizeof buf) == 0, "no EOF after the last close");
    close(p[0]);
    CHECK(read(p[0], buf, 1) == -1 && errno == EBADF, "read after close");

    CHECK(lde_pipe2(NULL, 0) == -LDE_EFAULT, "pipe2(NULL)");
    CHECK(lde_pipe2((int *)(LDE_USER_SIZE - 4), 0) == -LDE_EFAULT,
          "pipe2 across the end");
    CHECK(lde_pipe2(p, 0x10) == -LDE_EINVAL, "pipe2 with a bad flag");

    if (!under_lde)
        return PASS; /* Linux allows many more descriptors */
    /* Out of descriptors (16): EMFILE, and nothing leaked. */
    int fds[64], n = 0;
    while (n < 60 && pipe(&fds[n]) == 0)
        n += 2;
    CHECK(n < 60 && errno == EMFILE, "no EMFILE after %d fds (errno %d)", n,
          errno);
    for (int i = 0; i < n; i++)
        close(fds[i]);
    CHECK(pipe(p) == 0, "pipe after closing them all");
    close(p[0]);
    close(p[1]);
    return PASS;
}

/* More than the pipe holds: the writer blocks until the reader reads;
 * every byte arrives, in order. */
enum result t_pipe_big(void)
{
    enum { TOTAL = 20000 };
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        static unsigned char out[TOTAL];
        for (int i = 0; i < TOTAL; i++)
            out[i] = (unsigned char)(i * 7 + i / 251);
        _exit(write(p[1], out, TOTAL) == TOTAL ? 0 : 1);
    }
    close(p[1]);
    static unsigned char in[TOTAL];
    size_t got = read_full(p[0], in, TOTAL);
    char extra;
    CHECK(got == TOTAL, "read %u of %u bytes", (unsigned)got, TOTAL);
    CHECK(read(p[0], &extra, 1) == 0, "no EOF after the data");
    for (int i = 0; i < TOTAL; i++)
        CHECK(in[i] == (unsigned char)(i * 7 + i / 251), "byte %d wrong", i);
    close(p[0]);
    CHECK(reap(pid) == 0, "writer: status");
    return PASS;
}

/* Writes of at most PIPE_BUF bytes from several writers never mix. */
enum result t_pipe_atomic(void)
{
    enum { REC = 600, NREC = 30 };
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid_t w[2];
    for (int k = 0; k < 2; k++) {
        w[k] = fork();
        if (w[k] == 0) {
            char rec[REC];
            memset(rec, 'A' + k, sizeof rec);
            for (int i = 0; i < NREC; i++)
                if (write(p[1], rec, REC) != REC)
                    _exit(1);
            _exit(0);
        }
    }
    close(p[1]);
    char rec[REC];
    int count[2] = {0, 0};
    while (read_full(p[0], rec, REC) == REC) {
        for (int i = 1; i < REC; i++)
            CHECK(rec[i] == rec[0], "record %d mixes %c and %c",
                  count[0] + count[1], rec[0], rec[i]);
        CHECK(rec[0] == 'A' || rec[0] == 'B', "record of %c", rec[0]);
        count[rec[0] - 'A']++;
    }
    close(p[0]);
    CHECK(count[0] == NREC && count[1] == NREC, "%d A and %d B records",
          count[0], count[1]);
    CHECK(reap(w[0]) == 0 && reap(w[1]) == 0, "a writer failed");
    return PASS;
}

/* O_NONBLOCK: EAGAIN instead of blocking, both ways. */
enum result t_pipe_nonblock(void)
{
    int p[2];
    char buf[512];
    CHECK(pipe2(p, O_NONBLOCK) == 0, "pipe2(O_NONBLOCK) failed");
    CHECK(read(p[0], buf, 1) == -1 && errno == EAGAIN, "empty: errno %d",
          errno);
    memset(buf, 'n', sizeof buf);
    long total = 0, r;
    while ((r = write(p[1], buf, sizeof buf)) > 0)
        total += r;
    CHECK(r == -1 && errno == EAGAIN, "full: errno %d", errno);
    if (under_lde)
        CHECK(total == 4096, "the pipe held %ld bytes, not 4096", total);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK, "F_GETFL lacks O_NONBLOCK");
    CHECK(fcntl(p[0], F_SETFL, 0) == 0 && !(fcntl(p[0], F_GETFL) & O_NONBLOCK),
          "F_SETFL 0 did not clear it");
    CHECK(read(p[0], buf, sizeof buf) == sizeof buf, "read a full pipe");
    close(p[0]);
    close(p[1]);
    return PASS;
}

/* Writing to a pipe nobody can read: SIGPIPE ends the writer. */
enum result t_sigpipe(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    close(p[0]);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(0); /* not reached: SIGPIPE's default action */
    }
    close(p[1]);
    int st = reap(pid);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGPIPE,
          "writer: status 0x%x, want SIGPIPE", st);
    return PASS;
}

/* ---- descriptors ----------------------------------------------------------
 */

enum result t_dup(void)
{
    int p[2];
    char buf[8];
    CHECK(pipe(p) == 0, "pipe failed");
    int d = dup(p[1]);
    CHECK(d == p[1] + 1, "dup gave %d, not the lowest free %d", d, p[1] + 1);
    CHECK(write(d, "d", 1) == 1 && read(p[0], buf, 1) == 1 && buf[0] == 'd',
          "writing through the dup");
    CHECK(dup2(p[1], 10) == 10, "dup2 to 10");
    CHECK(dup2(p[0], 10) == 10, "dup2 over an open fd");
    CHECK(write(p[1], "e", 1) == 1 && read(10, buf, 1) == 1 && buf[0] == 'e',
          "fd 10 is the read end now");
    CHECK(dup2(10, 10) == 10, "dup2(fd, fd)");
    close(10);
    CHECK(dup2(10, 10) == -1 && errno == EBADF,
          "dup2 of a closed fd to itself");
    CHECK(dup2(10, 11) == -1 && errno == EBADF, "dup2 of a closed fd");
    CHECK(dup2(p[0], 99) == -1 && errno == EBADF, "dup2 to fd 99");
    CHECK(dup(99) == -1 && errno == EBADF, "dup(99)");
    CHECK(dup(-1) == -1 && errno == EBADF, "dup(-1)");
    CHECK(lde_dup3(p[0], p[0], 0) == -LDE_EINVAL, "dup3(fd, fd)");
    CHECK(lde_dup3(p[0], 12, 0x40) == -LDE_EINVAL, "dup3 with a bad flag");
    CHECK(close(d) == 0 && close(d) == -1 && errno == EBADF, "double close");
    CHECK(close(-1) == -1 && errno == EBADF, "close(-1)");
    close(p[0]);
    close(p[1]);
    return PASS;
}

enum result t_fcntl(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    CHECK(fcntl(p[0], F_GETFD) == 0, "a new fd is not close-on-exec");
    CHECK(fcntl(p[0], F_SETFD, FD_CLOEXEC) == 0 &&
              fcntl(p[0], F_GETFD) == FD_CLOEXEC,
          "F_SETFD FD_CLOEXEC");
    int d = fcntl(p[0], F_DUPFD, 8);
    CHECK(d == 8, "F_DUPFD 8 gave %d", d);
    CHECK(fcntl(d, F_GETFD) == 0, "a dup is not close-on-exec");
    int e = fcntl(p[0], F_DUPFD_CLOEXEC, 8);
    CHECK(e == 9 && fcntl(e, F_GETFD) == FD_CLOEXEC, "F_DUPFD_CLOEXEC: %d", e);
    CHECK(fcntl(p[1], F_GETFL) == O_WRONLY && fcntl(p[0], F_GETFL) == O_RDONLY,
          "access modes");
    CHECK(fcntl(99, F_GETFD) == -1 && errno == EBADF, "fd 99");
    CHECK(lde_fcntl(p[0], 12345, 0) == -LDE_EINVAL, "unknown command");
    CHECK(lde_dup3(p[0], 12, LDE_O_CLOEXEC) == 12 &&
              fcntl(12, F_GETFD) == FD_CLOEXEC,
          "dup3 O_CLOEXEC");
    close(12);
    close(e);
    close(d);
    close(p[0]);
    close(p[1]);
    return PASS;
}

/* ---- signals ----------------------------------------------------------------
 */

enum result t_kill(void)
{
    CHECK(kill(getpid(), SIGCHLD) == 0, "an ignored signal to self");
    CHECK(kill(getpid(), 0) == 0, "signal 0 to self");
    CHECK(lde_kill(999999, LDE_SIGNAL_TERM) == -LDE_ESRCH, "no such pid");
    CHECK(lde_kill(getpid(), 65) == -LDE_EINVAL, "signal 65");
    if (under_lde) {
        CHECK(lde_kill(0, LDE_SIGNAL_TERM) == -LDE_EINVAL,
              "pid 0 (no process groups)");
        CHECK(lde_kill(-7, LDE_SIGNAL_TERM) == -LDE_EINVAL, "pid -7");
        CHECK(lde_kill(getpid(), LDE_SIGNAL_STOP) == -LDE_EINVAL,
              "SIGSTOP (no job control)");
    }

    /* A blocked child dies of SIGTERM; its parent sees the signal. */
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid_t pid = child_blocked(p);
    CHECK(pid > 0, "fork failed");
    CHECK(kill(pid, SIGKILL) == 0, "kill(child, SIGKILL)");
    int st = reap(pid);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, "status 0x%x", st);
    close(p[0]);
    close(p[1]);

    /* A zombie exists until it is reaped. */
    pid = child_exit(0);
    CHECK(pid > 0, "fork failed");
    for (int i = 0; i < 20; i++)
        sched_yield();
    CHECK(kill(pid, 0) == 0, "kill(zombie, 0)");
    CHECK(reap(pid) == 0, "zombie: status");
    CHECK(kill(pid, 0) == -1 && errno == ESRCH, "kill(reaped, 0)");
    return PASS;
}

/* A process whose parent ends is adopted by pid 1. */
enum result t_orphan(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid_t mid = fork();
    if (mid == 0) {
        pid_t me = getpid();
        if (fork() == 0) {
            /* The orphan: wait for its parent to end, report the new one. */
            int ppid;
            for (int i = 0; i < 1000 && (ppid = getppid()) == me; i++)
                sched_yield();
            write(p[1], &ppid, sizeof ppid);
            _exit(0);
        }
        _exit(0);
    }
    close(p[1]);
    CHECK(reap(mid) == 0, "the middle process failed");
    int ppid = 0;
    CHECK(read_full(p[0], &ppid, sizeof ppid) == sizeof ppid,
          "no report from the orphan");
    close(p[0]);
    if (under_lde)
        CHECK(ppid == 1, "the orphan's parent is %d, not 1", ppid);
    else
        CHECK(ppid != mid, "the orphan kept its dead parent %d", ppid);
    if (getpid() == 1) /* we adopted it: reap it */
        while (wait(NULL) > 0)
            continue;
    return PASS;
}

/* ---- terminals and time ------------------------------------------------ */

enum result t_isatty(void)
{
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    errno = 0;
    CHECK(!isatty(p[0]) && errno == ENOTTY, "a pipe is a tty? errno %d", errno);
    CHECK(!isatty(99) && errno == EBADF, "fd 99: errno %d", errno);
    close(p[0]);
    close(p[1]);
    if (under_lde) /* the console: lde's stdout, wherever the host's goes */
        CHECK(isatty(1), "the console is not a tty");
    return PASS;
}

enum result t_gettimeofday(void)
{
    struct timeval a, b;
    struct lde_timespec ts;
    CHECK(gettimeofday(&a, NULL) == 0, "gettimeofday failed");
    CHECK(lde_clock_gettime(LDE_CLOCK_REALTIME, &ts) == 0, "clock_gettime");
    CHECK(gettimeofday(&b, NULL) == 0, "gettimeofday failed");
    CHECK(a.tv_usec >= 0 && a.tv_usec < 1000000, "tv_usec %ld",
          (long)a.tv_usec);
    int64_t ua = (int64_t)a.tv_sec * 1000000 + a.tv_usec;
    int64_t ub = (int64_t)b.tv_sec * 1000000 + b.tv_usec;
    int64_t uc = lde_ts_ns(&ts) / 1000;
    CHECK(ua <= uc && uc <= ub, "not in order: %lld %lld %lld", (long long)ua,
          (long long)uc, (long long)ub);
    return PASS;
}

/* ---- lde only: the kernel's view ---------------------------------------- */

static int find(const struct lde_procinfo *t, long n, pid_t pid)
{
    for (long i = 0; i < n; i++)
        if (t[i].pid == (uint32_t)pid)
            return (int)i;
    return -1;
}

/* The process table as ps sees it: states, parents, blocked reasons. */
enum result t_proctable(void)
{
    if (!under_lde)
        return skip("not under lde");
    static struct lde_procinfo t[LDE_PROCS_MAX];
    CHECK(lde_proctable(BAD(struct lde_procinfo *), 1) == -LDE_EFAULT,
          "bad buffer");
    int p[2];
    CHECK(pipe(p) == 0, "pipe failed");
    pid_t pid = child_blocked(p);
    CHECK(pid > 0, "fork failed");
    for (int i = 0; i < 10; i++)
        sched_yield(); /* let it block */
    long n = lde_proctable(t, LDE_PROCS_MAX);
    int me = find(t, n, getpid()), c = find(t, n, pid);
    CHECK(me >= 0 && c >= 0, "self or child missing from %ld records", n);
    CHECK(t[me].state == PS_RUNNING, "self: state %lu",
          (unsigned long)t[me].state);
    CHECK(t[c].ppid == (uint32_t)getpid() && t[c].state == PS_BLOCKED &&
              t[c].blocked == BLOCK_PIPE,
          "child: ppid %lu state %lu blocked %lu", (unsigned long)t[c].ppid,
          (unsigned long)t[c].state, (unsigned long)t[c].blocked);
    for (long i = 1; i < n; i++)
        CHECK(t[i].pid > t[i - 1].pid, "not in pid order");
    CHECK(lde_proctable(t, 1) == n, "the count with a small buffer");

    close(p[1]); /* the child ends: a zombie until we wait */
    for (int i = 0; i < 10; i++)
        sched_yield();
    n = lde_proctable(t, LDE_PROCS_MAX);
    c = find(t, n, pid);
    CHECK(c >= 0 && t[c].state == PS_ZOMBIE && t[c].exit_status == 3,
          "ended child: state %lu", c >= 0 ? (unsigned long)t[c].state : 0ul);
    CHECK(reap(pid) == 3 << 8, "child status");
    n = lde_proctable(t, LDE_PROCS_MAX);
    CHECK(find(t, n, pid) < 0, "a reaped child is still listed");
    close(p[0]);

    /* A parent in waitpid is blocked for "wait"; its child sees it. */
    pid_t parent = getpid();
    pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 100; i++) {
            long k = lde_proctable(t, LDE_PROCS_MAX);
            int j = find(t, k, parent);
            if (j >= 0 && t[j].state == PS_BLOCKED &&
                t[j].blocked == BLOCK_WAIT)
                _exit(0);
            sched_yield();
        }
        _exit(1);
    }
    CHECK(reap(pid) == 0, "the parent never looked blocked in wait");
    return PASS;
}

/* A fork bomb: every process forks until the kernel says no. The kernel
 * must refuse with EAGAIN (process table full) or ENOMEM (no partition),
 * never panic, and every process must still die of SIGKILL, leaving a
 * table that works as before. lde only: under qemu these would be real
 * processes of the host, and kill(-1) would reach the host's own. */
enum result t_forkbomb(void)
{
    if (!under_lde)
        return skip("not under lde (it would bomb the host)");
    int report[2], hold[2];
    CHECK(pipe(report) == 0 && pipe(hold) == 0, "pipes failed");
    pid_t root = fork();
    if (root == 0) {
        close(report[0]);
        close(hold[1]);
        for (;;) {
            pid_t pid = fork();
            if (pid < 0) {
                /* Refused: say why, then block until killed. */
                unsigned char why = (unsigned char)errno;
                write(report[1], &why, 1);
                char c;
                read(hold[0], &c, 1);
                _exit(9); /* not reached: killed first */
            }
        }
    }
    CHECK(root > 0, "fork failed");
    close(report[1]);
    close(hold[0]);
    unsigned char why = 0;
    CHECK(read(report[0], &why, 1) == 1, "no report from the bomb");
    CHECK(why == EAGAIN || why == ENOMEM, "fork refused with errno %d", why);
    /* The system is full: so are we. */
    errno = 0;
    pid_t extra = fork();
    if (extra == 0)
        _exit(0);
    if (extra > 0)
        reap(extra); /* a slot freed up in between: fine */
    else
        CHECK(errno == EAGAIN || errno == ENOMEM, "our fork: errno %d", errno);

    long before = lde_proctable(NULL, 0);
    CHECK(kill(-1, SIGKILL) == 0, "kill(-1, SIGKILL) failed");
    int st, killed = 0;
    pid_t w;
    while ((w = wait(&st)) > 0) /* the root, and orphans if we are pid 1 */
        killed += WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL;
    CHECK(killed >= 1, "the root did not die of SIGKILL");
    close(report[0]);
    close(hold[1]);
    for (int i = 0; i < 10; i++)
        sched_yield(); /* orphans adopted by someone else end too */
    long after = lde_proctable(NULL, 0);
    CHECK(after < before, "%ld processes before kill, %ld after", before,
          after);
    /* Everything works as before. */
    CHECK(reap(child_exit(42)) == 42 << 8, "fork after the bomb");
    printf("forkbomb: %ld processes, refused with %s\n", before,
           why == EAGAIN ? "EAGAIN" : "ENOMEM");
    return PASS;
}
