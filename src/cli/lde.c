/*
 * lde.c: the lde executable: `lde <command> [...]`. One table of
 * subcommands; each parses its own options (session_parse_args for the
 * ones that boot a machine).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "debug.h"
#include "session.h"

struct command {
    const char *name;
    int (*main)(int argc, char **argv);
    const char *help;
};

static const struct command commands[] = {
    {"run", run_main, "boot the kernel and run programs to completion"},
    {"debug", debug_main, "the same, under an interactive debugger"},
    {"cc", cc_main, "compile and link your own C program for lde"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *f)
{
    fprintf(f, "usage: lde <command> [options] [PROGRAM [ARGS...]]...\n"
               "A cycle-counting machine that runs a guest kernel which "
               "time-shares\nELF programs (limited direct execution).\n\n"
               "commands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(f, "  %-8s %s\n", commands[i].name, commands[i].help);
    fprintf(f, "\n'lde <command> --help' for its options; 'lde --version'."
               "\n");
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0 ||
        strcmp(cmd, "help") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("%s\n", session_version);
        return 0;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i].name) == 0)
            return commands[i].main(argc - 1, argv + 1);
    if (cmd[0] == '-')
        fprintf(stderr, "lde: unknown option '%s' (a command comes first)\n",
                cmd);
    else
        fprintf(stderr, "lde: unknown command '%s'\n", cmd);
    fprintf(stderr, "Try 'lde --help'.\n");
    return 2;
}
