/*
 * timeit: run a command and report its wall time and the CPU time it and
 * its children used, with microsecond resolution (wait4's rusage), so that
 * bench/compare.sh can see through a busy host: wall time counts the time
 * other processes held the CPU, CPU time does not.
 *
 * usage: timeit OUTFILE COMMAND [ARG...]
 * Runs COMMAND with its standard output and error sent to OUTFILE, then
 * prints "WALL USER SYS" in seconds on stdout. Exit status: the command's,
 * or 127 if it could not be run.
 */
#define _DEFAULT_SOURCE /* wait4 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double seconds(struct timeval tv)
{
    return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: timeit OUTFILE COMMAND [ARG...]\n");
        return 2;
    }
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) {
        perror(argv[1]);
        return 127;
    }
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        execvp(argv[2], argv + 2);
        perror(argv[2]);
        _exit(127);
    }
    int status = 0;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &status, 0, &ru) < 0) {
        perror("timeit");
        return 127;
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double wall = (double)(t1.tv_sec - t0.tv_sec) +
                  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("%.6f %.6f %.6f\n", wall, seconds(ru.ru_utime),
           seconds(ru.ru_stime));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}
