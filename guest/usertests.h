/*
 * usertests.h: what the usertests files share (see usertests.c): the
 * result of a test, CHECK, and the lde-or-not flag.
 */
#ifndef USERTESTS_H
#define USERTESTS_H

enum result { PASS, FAIL, SKIP };

extern int under_lde;       /* lde_procinfo answered: lde-only checks apply */
extern const char *current; /* the test running, for messages */

/* Print "FAIL <test>: <why>"; returns FAIL. */
enum result fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "skip <test>: <why>"; returns SKIP. */
enum result skip(const char *why);

#define CHECK(cond, ...)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            return fail(__VA_ARGS__);                                          \
    } while (0)

/* usertests_procs.c: the process API (fork, exec, wait, pipes, dup,
 * kill). */
#define PROC_TESTS(X)                                                          \
    X(fork)                                                                    \
    X(wait)                                                                    \
    X(waitid)                                                                  \
    X(clone)                                                                   \
    X(exec)                                                                    \
    X(exec_noexec)                                                             \
    X(pipe)                                                                    \
    X(pipe_big)                                                                \
    X(pipe_atomic)                                                             \
    X(pipe_nonblock)                                                           \
    X(sigpipe)                                                                 \
    X(dup)                                                                     \
    X(fcntl)                                                                   \
    X(kill)                                                                    \
    X(orphan)                                                                  \
    X(isatty)                                                                  \
    X(gettimeofday)                                                            \
    X(proctable)                                                               \
    X(forkbomb)

#define PROC_TEST_DECL(name) enum result t_##name(void);
PROC_TESTS(PROC_TEST_DECL)
#undef PROC_TEST_DECL

/* `usertests --report`: what exec must keep (usertests_procs.c). */
int exec_report(int argc, char **argv);

#endif /* USERTESTS_H */
