/*
 * cmds.c: the one table of commands (name, alias, handler, usage,
 * help), as Spike's interactive mode has it; help is generated from it.
 * A command is its full name, its alias, or a prefix of one name only.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dbg.h"
#include "gdbstub.h"

static int cmd_help(struct dbg *d, const char *args);

static int cmd_quit(struct dbg *d, const char *args)
{
    (void)args;
    d->quit = true;
    return 0;
}

static int cmd_input(struct dbg *d, const char *args)
{
    args = dbg_skip(args);
    if (strcmp(args, "-eof") == 0) {
        dbg_queue_input(d, "", true);
        printf("console input will end after what is queued\n");
        return 0;
    }
    if (d->in_eof) {
        dbg_err("input: the console's input has been ended ('input -eof')");
        return -1;
    }
    dbg_queue_input(d, args, false);
    return 0;
}

static int cmd_gdb(struct dbg *d, const char *args)
{
    (void)args;
    if (d->gdb == NULL) {
        dbg_err("gdb: lde debug was not started with --gdb [HOST:]PORT");
        return -1;
    }
    printf("Waiting for gdb...\n");
    fflush(stdout);
    gdbstub_serve(d, -1);
    dbg_report_stop(d);
    return 0;
}

struct command {
    const char *name, *alias;
    int (*fn)(struct dbg *d, const char *args);
    bool repeats; /* an empty line runs it again */
    const char *usage, *help;
};

static const struct command commands[] = {
    {"stepi", "si", dbg_cmd_stepi, true, "si [N]",
     "execute N instructions (1); a trap stops at its handler's first "
     "instruction, and what the hardware did is told"},
    {"nexti", "ni", dbg_cmd_nexti, true, "ni [N]",
     "like si, but a call (jal/jalr ra) or a system call (ecall) runs "
     "until it returns to the next instruction"},
    {"step", "s", dbg_cmd_step, true, "step [N]",
     "run to the next source line (DWARF line table), into functions "
     "that have source lines; system calls and interrupts are run over"},
    {"next", "n", dbg_cmd_next, true, "next [N]",
     "like step, but calls are run over too"},
    {"continue", "c", dbg_cmd_continue, true, "c",
     "run until a breakpoint, watchpoint, catchpoint, halt or Ctrl-C"},
    {"until", "u", dbg_cmd_until, false, "until ADDR|SYMBOL|FILE:LINE",
     "run until pc reaches that location"},
    {"finish", "fin", dbg_cmd_finish, true, "finish",
     "run until the current function returns (call frame information)"},
    {"reverse-stepi", "rsi", dbg_cmd_reverse_stepi, true, "rsi [N]",
     "go back N steps (instructions, or traps entered), to the state the "
     "machine had then"},
    {"reverse-nexti", "rni", dbg_cmd_reverse_nexti, true, "rni [N]",
     "like rsi, but back over a call (or a system call, or an interrupt) "
     "to the instruction before it in this function"},
    {"reverse-continue", "rc", dbg_cmd_reverse_continue, true, "rc",
     "go back to the last breakpoint, watchpoint or catchpoint hit, or to "
     "the start of the history"},
    {"reverse-finish", NULL, dbg_cmd_reverse_finish, false, "reverse-finish",
     "go back to where the current function was called"},
    {"break", "b", dbg_cmd_break, false,
     "break [ADDR|SYMBOL|PROG:SYMBOL|FILE:LINE]",
     "stop before the instruction there (in that program or the kernel)"},
    {"tbreak", NULL, dbg_cmd_tbreak, false, "tbreak LOCATION",
     "a breakpoint deleted when hit"},
    {"delete", "d", dbg_cmd_delete, false, "delete [N...]",
     "delete breakpoints, watchpoints and catchpoints (all without N)"},
    {"disable", NULL, dbg_cmd_disable, false, "disable [N...]",
     "disable them (all without N)"},
    {"enable", NULL, dbg_cmd_enable, false, "enable [N...]",
     "enable them (all without N)"},
    {"watch", NULL, dbg_cmd_watch, false, "watch ADDR",
     "stop after the word at ADDR changes (a store or a trap frame)"},
    {"catch", NULL, dbg_cmd_catch, false,
     "catch trap [CAUSE]|syscall [NAME]|mode|rti|switch",
     "stop at a trap (vector number or name: illegal privileged memfault "
     "misaligned breakpoint divzero syscall timer console), a system "
     "call, a mode change, a return-from-trap, a context switch"},
    {"info", "i", dbg_cmd_info, false,
     "info reg [R...]|csr|frame [ADDR]|traptable|timer|break|display|"
     "locals|args|history",
     "registers (* = changed since the previous stop), privileged "
     "registers, the trap frame, the trap table, the timer, the "
     "breakpoints, the displays, the function's local variables and "
     "arguments (DWARF), the recorded history"},
    {"print", "p", dbg_cmd_print, false, "p[/FMT] EXPR",
     "a C expression on the program's variables (DWARF: locals, arguments, "
     "globals; * & [] . -> casts, sizeof and C's operators), or $reg, $csr, "
     "a symbol (address, and value for an object), a number, with + and -; "
     "floating values and literals (1.5, 2.0f); FMT: x z d u o t c a f "
     "(hex, zero-padded hex, signed, unsigned, octal, binary, char, "
     "address, float), element by element and member by member"},
    {"ptype", NULL, dbg_cmd_ptype, false, "ptype EXPR|TYPE",
     "the type of EXPR, or TYPE, in C, typedefs looked through and a "
     "struct, union or enum spelled out"},
    {"whatis", NULL, dbg_cmd_whatis, false, "whatis EXPR|TYPE",
     "the name of EXPR's type (or what the typedef TYPE stands for)"},
    {"set", NULL, dbg_cmd_set, false, "set var LHS = EXPR | set $REG = EXPR",
     "change a C variable, memory through a pointer (set var *p = 1, set "
     "var *(int *)0x11000 = 2) or a register; the recorded history after "
     "this step is dropped"},
    {"x", NULL, dbg_cmd_x, true, "x/NFU [-p|-u] ADDR",
     "examine memory: N units, format x d u c f s i, unit b h w g (1, 2, "
     "4, 8 bytes; f: w a float, g a double); addresses in the current "
     "mode's view (a symbol: its own; C: &var), -p physical, -u the "
     "current process"},
    {"disassemble", "disas", dbg_cmd_disas, false, "disas [ADDR] [N]",
     "N instructions from ADDR, or the whole function"},
    {"display", NULL, dbg_cmd_display, false, "display[/FMT] EXPR",
     "print EXPR at every stop (in format FMT, as p/FMT)"},
    {"undisplay", NULL, dbg_cmd_undisplay, false, "undisplay [N]",
     "stop displaying (all without N)"},
    {"backtrace", "bt", dbg_cmd_bt, false, "bt",
     "the calls that led here, through trap frames into user code"},
    {"list", "l", dbg_cmd_list, true, "list [LOCATION]",
     "source lines around pc or LOCATION; again: the next ones"},
    {"ps", NULL, dbg_cmd_ps, false, "ps",
     "the kernel's process table (lde_procinfo)"},
    {"stats", NULL, dbg_cmd_stats, false, "stats",
     "the report of lde run --stats, up to now"},
    {"input", NULL, cmd_input, false, "input TEXT | input -eof",
     "queue a line of console input for the guest, or end its input"},
    {"gdb", NULL, cmd_gdb, false, "gdb",
     "wait for gdb (lde debug --gdb PORT) and let it drive until it "
     "detaches"},
    {"run", "r", dbg_cmd_run, false, "run",
     "boot the machine again from scratch (breakpoints are kept)"},
    {"help", "h", cmd_help, false, "help [COMMAND]", "this list, or one"},
    {"quit", "q", cmd_quit, false, "quit", "leave the debugger"},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

const char *dbg_cmd_name(unsigned i)
{
    return i < NCOMMANDS ? commands[i].name : NULL;
}

/* The command a word names; NULL with *ambiguous set if several. */
static const struct command *lookup(const char *w, size_t n, bool *ambiguous)
{
    *ambiguous = false;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        const struct command *c = &commands[i];
        if ((strlen(c->name) == n && strncmp(c->name, w, n) == 0) ||
            (c->alias && strlen(c->alias) == n && strncmp(c->alias, w, n) == 0))
            return c;
    }
    const struct command *found = NULL;
    for (size_t i = 0; i < NCOMMANDS; i++) {
        if (strncmp(commands[i].name, w, n) != 0)
            continue;
        if (found != NULL) {
            *ambiguous = true;
            return NULL;
        }
        found = &commands[i];
    }
    return found;
}

static int cmd_help(struct dbg *d, const char *args)
{
    (void)d;
    args = dbg_skip(args);
    if (*args != '\0') {
        bool amb;
        const struct command *c = lookup(args, strcspn(args, " \t"), &amb);
        if (c == NULL) {
            dbg_err("help: %s command '%s'", amb ? "ambiguous" : "unknown",
                    args);
            return -1;
        }
        printf("usage: %s\n%s\n", c->usage, c->help);
        if (c->alias)
            printf("(also: %s)\n", c->alias);
        return 0;
    }
    printf("Commands (an empty line repeats si, ni, s, n, c, finish, rsi, rni, "
           "rc, x, list):\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        printf("  %-16s %-5s %s\n", commands[i].name,
               commands[i].alias ? commands[i].alias : "", commands[i].usage);
    printf("'help COMMAND' tells more.\n");
    return 0;
}

/* Split "x/4xw $sp" into the word "x" and "/4xw $sp". */
static size_t word_len(const char *line)
{
    size_t n = 0;
    while (line[n] && !isspace((unsigned char)line[n]) && line[n] != '/')
        n++;
    return n;
}

bool dbg_cmd_repeats(const char *line)
{
    line = dbg_skip(line);
    bool amb;
    const struct command *c = lookup(line, word_len(line), &amb);
    return c != NULL && c->repeats;
}

void dbg_execute(struct dbg *d, const char *line)
{
    line = dbg_skip(line);
    if (*line == '\0' || *line == '#')
        return;
    size_t n = word_len(line);
    if (n == 0) {
        dbg_err("unknown command '%s' (try help)", line);
        return;
    }
    bool amb;
    const struct command *c = lookup(line, n, &amb);
    if (c == NULL) {
        dbg_err("%s command '%.*s' (try help)", amb ? "ambiguous" : "unknown",
                (int)n, line);
        return;
    }
    char args[1024];
    snprintf(args, sizeof args, "%s", line + n);
    /* Trailing blanks are noise in every command. */
    size_t len = strlen(args);
    while (len > 0 && isspace((unsigned char)args[len - 1]))
        args[--len] = '\0';
    c->fn(d, args);
    fflush(stdout);
}
