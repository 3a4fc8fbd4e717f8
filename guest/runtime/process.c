/*
 * process.c: the process API of OSTEP chapter 5 with picolibc's names and
 * prototypes, so that textbook C compiles unchanged: fork, the exec
 * family (execve, execv, execvp, execl, execlp, execle), wait, waitpid,
 * kill. Over Linux's riscv32 calls: fork is clone(SIGCHLD, 0), and waiting
 * is waitid (riscv32 Linux has no wait4), whose siginfo becomes the
 * classic status word that <sys/wait.h>'s macros take apart.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lde.h"

extern char **environ;

/* ---- Signal numbers ------------------------------------------------------ *
 * picolibc (for this target) numbers some signals the BSD way; the kernel
 * speaks Linux. The signals both know, by name. */
#define SHARED_SIGNALS(X)                                                      \
    X(HUP)                                                                     \
    X(INT)                                                                     \
    X(QUIT)                                                                    \
    X(ILL)                                                                     \
    X(TRAP)                                                                    \
    X(ABRT)                                                                    \
    X(BUS)                                                                     \
    X(FPE)                                                                     \
    X(KILL)                                                                    \
    X(USR1)                                                                    \
    X(SEGV)                                                                    \
    X(USR2)                                                                    \
    X(PIPE)                                                                    \
    X(ALRM)                                                                    \
    X(TERM)                                                                    \
    X(CHLD)                                                                    \
    X(CONT)                                                                    \
    X(STOP)                                                                    \
    X(TSTP)                                                                    \
    X(TTIN)                                                                    \
    X(TTOU)                                                                    \
    X(URG)                                                                     \
    X(XCPU)                                                                    \
    X(XFSZ)                                                                    \
    X(VTALRM)                                                                  \
    X(PROF)                                                                    \
    X(WINCH)                                                                   \
    X(IO)                                                                      \
    X(SYS)

int lde_signal_to_linux(int sig)
{
    switch (sig) {
#define TO_LINUX(name)                                                         \
    case SIG##name: return LDE_SIGNAL_##name;
        SHARED_SIGNALS(TO_LINUX)
#undef TO_LINUX
    }
    return 0;
}

/* A signal picolibc has no name for (the real-time ones) keeps its
 * number. */
int lde_signal_from_linux(int sig)
{
    switch (sig) {
#define FROM_LINUX(name)                                                       \
    case LDE_SIGNAL_##name: return SIG##name;
        SHARED_SIGNALS(FROM_LINUX)
#undef FROM_LINUX
    }
    return sig;
}

/* kill(pid, sig): sig 0 checks that pid exists. */
int kill(pid_t pid, int sig)
{
    int lsig = sig ? lde_signal_to_linux(sig) : 0;
    if (sig && !lsig) {
        errno = EINVAL;
        return -1;
    }
    return (int)lde_errno(lde_kill(pid, lsig));
}

/* ---- fork and exec ------------------------------------------------------- */

pid_t fork(void)
{
    return (pid_t)lde_errno(lde_fork());
}

int execve(const char *path, char *const argv[], char *const envp[])
{
    return (int)lde_errno(lde_execve(path, argv, envp));
}

int execv(const char *path, char *const argv[])
{
    return execve(path, argv, environ);
}

/* A file name without '/' is looked for in each directory of PATH (by
 * default /bin, where lde's built-in programs are); the first one that
 * exists runs. errno is that of the last failure other than ENOENT, or
 * ENOENT if none existed. */
int execvp(const char *file, char *const argv[])
{
    if (file[0] == '\0') {
        errno = ENOENT;
        return -1;
    }
    if (strchr(file, '/'))
        return execv(file, argv);
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/bin";
    size_t flen = strlen(file);
    int err = ENOENT;
    char buf[LDE_PATH_MAX];
    for (const char *dir = path;; dir++) {
        const char *end = strchr(dir, ':');
        size_t dlen = end ? (size_t)(end - dir) : strlen(dir);
        if (dlen + 1 + flen < sizeof buf) {
            memcpy(buf, dir, dlen);
            buf[dlen] = '/';
            memcpy(buf + dlen + 1, file, flen + 1);
            execv(dlen ? buf : file, argv);
            if (errno != ENOENT)
                err = errno;
        }
        if (!end)
            break;
        dir = end;
    }
    errno = err;
    return -1;
}

/* The execl family: the arguments, up to a NULL, as an array. */
#define EXECL_MAX 64

static int gather(const char *arg0, va_list ap, char **argv)
{
    int n = 0;
    for (const char *a = arg0; a != NULL; a = va_arg(ap, const char *)) {
        if (n == EXECL_MAX) {
            errno = E2BIG;
            return -1;
        }
        argv[n++] = (char *)a;
    }
    argv[n] = NULL;
    return 0;
}

int execl(const char *path, const char *arg0, ...)
{
    char *argv[EXECL_MAX + 1];
    va_list ap;
    va_start(ap, arg0);
    int r = gather(arg0, ap, argv);
    va_end(ap);
    return r < 0 ? r : execv(path, argv);
}

int execlp(const char *file, const char *arg0, ...)
{
    char *argv[EXECL_MAX + 1];
    va_list ap;
    va_start(ap, arg0);
    int r = gather(arg0, ap, argv);
    va_end(ap);
    return r < 0 ? r : execvp(file, argv);
}

/* execle(path, arg0, ..., NULL, envp) */
int execle(const char *path, const char *arg0, ...)
{
    char *argv[EXECL_MAX + 1];
    va_list ap;
    va_start(ap, arg0);
    int r = gather(arg0, ap, argv);
    char *const *envp = va_arg(ap, char *const *);
    va_end(ap);
    return r < 0 ? r : execve(path, argv, envp);
}

/* ---- wait ---------------------------------------------------------------- */

/* waitpid(pid, status, options): pid > 0 that child, -1 any child; lde has
 * no process groups, so 0 (the caller's group) is any child too, and
 * pid < -1 fails with EINVAL. options: WNOHANG (0 if no child has ended),
 * WUNTRACED (nothing ever stops). The status word: exit status << 8, or
 * the signal that killed the child. */
pid_t waitpid(pid_t pid, int *status, int options)
{
    struct lde_siginfo si;
    int idtype = pid > 0 ? LDE_P_PID : pid < -1 ? LDE_P_PGID : LDE_P_ALL;
    int opts = LDE_WEXITED;
    if (options & ~(WNOHANG | WUNTRACED)) {
        errno = EINVAL;
        return -1;
    }
    if (options & WNOHANG)
        opts |= LDE_WNOHANG;
    if (options & WUNTRACED)
        opts |= LDE_WSTOPPED;
    si.pid = 0;
    long r = lde_waitid(idtype, pid > 0 ? pid : 0, &si, opts, NULL);
    if (r < 0)
        return (pid_t)lde_errno(r);
    if (si.pid == 0)
        return 0; /* WNOHANG: nothing has ended */
    if (status)
        *status = si.code == LDE_CLD_EXITED
                      ? (si.status & 0xff) << 8
                      : lde_signal_from_linux(si.status) & 0x7f;
    return si.pid;
}

pid_t wait(int *status)
{
    return waitpid(-1, status, 0);
}
