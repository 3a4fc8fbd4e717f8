/*
 * sh: a small shell over fork, execvp, pipe, dup2 and waitpid (OSTEP 5.4,
 * "why? motivating the API": the shell is where they meet).
 *
 *   sh                 read commands from standard input (a prompt "$ "
 *                      when that is a terminal, as lde's console is)
 *   sh -c 'LINE' [ARG0 [ARGS...]]   run LINE ($0 = ARG0, $1.. = ARGS)
 *
 * A line is a list of pipelines `a | b | c`, separated by `;` (one after
 * the other), `&` (the one before in the background), `&&` (the next only
 * if this one succeeded) and `||` (only if it failed); `#` starts a
 * comment. Words are split at blanks; '...' quotes literally, "..." too
 * but for $ expansions and \" \\ \$; a backslash quotes the next
 * character. Expansions: $? (the last status), $$ (the shell's pid), $!
 * (the last background pid), $# and $0..$9 (the -c arguments).
 *
 * A command is a built-in (the table below) or a program, found by
 * execvp: a name with a '/' as it is, else in /bin. Its status is its
 * exit status, or 128 + the signal that killed it; 127 if it was not
 * found, 126 if it could not run. A pipeline's status is its last
 * command's. The shell's own exit status is the last status.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define LINE_MAX 4096
#define MAX_TOKENS 512
#define MAX_CMDS 64 /* commands in one pipeline */
#define MAX_JOBS 64 /* background jobs remembered */

static int status;      /* $? */
static pid_t last_bg;   /* $! */
static int interactive; /* prompts, and job messages */
static int npos;        /* $0..: the -c arguments */
static char **pos;

/* ---- Background jobs ------------------------------------------------- */

/* Background children, and the status of those that have ended but that
 * `wait PID` has not asked about yet. */
static struct job {
    pid_t pid;
    int done;
    int status;
} jobs[MAX_JOBS];

/* A child's status word as the shell's $?. */
static int exit_code(int w)
{
    return WIFEXITED(w) ? WEXITSTATUS(w) : 128 + WTERMSIG(w);
}

static struct job *find_job(pid_t pid)
{
    for (int i = 0; i < MAX_JOBS; i++)
        if (jobs[i].pid == pid)
            return &jobs[i];
    return NULL;
}

static void add_job(pid_t pid)
{
    struct job *j = find_job(0);
    if (j == NULL) /* full: forget the oldest finished one */
        for (int i = 0; i < MAX_JOBS && !j; i++)
            if (jobs[i].done)
                j = &jobs[i];
    if (j)
        *j = (struct job){pid, 0, 0};
    if (interactive)
        printf("[%d]\n", (int)pid);
}

/* A child ended: note it if it was a background job. */
static void job_ended(pid_t pid, int w)
{
    struct job *j = find_job(pid);
    if (j == NULL)
        return;
    j->done = 1;
    j->status = exit_code(w);
    if (interactive)
        printf("[%d] done, status %d\n", (int)pid, j->status);
}

/* Reap the background jobs that have ended, without waiting. */
static void reap_jobs(void)
{
    int w;
    pid_t pid;
    while ((pid = waitpid(-1, &w, WNOHANG)) > 0)
        job_ended(pid, w);
}

/* ---- Words and operators ------------------------------------------------ */

enum toktype { T_WORD, T_PIPE, T_BG, T_SEMI, T_AND, T_OR, T_END };

struct token {
    enum toktype type;
    char *text; /* T_WORD: its characters, '\1' before an expansion */
};

/* A $ expansion is stored as '\1' and the variable's character, and
 * expanded when the command runs, so that `false; echo $?` sees the
 * status of false. */
#define EXPAND '\1'

static char pool[2 * LINE_MAX];
static struct token tokens[MAX_TOKENS];

static int is_var(char c)
{
    return c == '?' || c == '$' || c == '!' || c == '#' ||
           (c >= '0' && c <= '9');
}

static int syntax_error(const char *near)
{
    fprintf(stderr, "sh: syntax error near '%s'\n", near);
    status = 2;
    return -1;
}

/* Split line into tokens. Returns how many (the last is T_END), or -1
 * after saying why. */
static int lex(const char *line)
{
    int n = 0;
    char *out = pool;
    const char *p = line;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
            p++;
        if (n == MAX_TOKENS - 1)
            return syntax_error("(too many words)");
        struct token *t = &tokens[n++];
        if (*p == '\0' || *p == '#') {
            t->type = T_END;
            return n;
        }
        static const struct {
            const char *op;
            enum toktype type;
        } ops[] = {{"&&", T_AND},
                   {"||", T_OR},
                   {"|", T_PIPE},
                   {"&", T_BG},
                   {";", T_SEMI}};
        int matched = 0;
        for (unsigned i = 0; i < sizeof ops / sizeof ops[0] && !matched; i++) {
            size_t len = strlen(ops[i].op);
            if (strncmp(p, ops[i].op, len) == 0) {
                t->type = ops[i].type;
                p += len;
                matched = 1;
            }
        }
        if (matched)
            continue;
        t->type = T_WORD;
        t->text = out;
        char quote = 0;
        while (*p && (quote || !strchr(" \t\n\r|&;", *p))) {
            char c = *p++;
            if (quote == '\'' && c != '\'') {
                *out++ = c;
            } else if (c == quote) {
                quote = 0;
            } else if (!quote && (c == '\'' || c == '"')) {
                quote = c;
            } else if (c == '\\' && *p && (!quote || strchr("\"\\$", *p))) {
                *out++ = *p++;
            } else if (c == '$' && is_var(*p)) {
                *out++ = EXPAND;
                *out++ = *p++;
            } else {
                *out++ = c;
            }
        }
        if (quote)
            return syntax_error(quote == '\'' ? "'" : "\"");
        *out++ = '\0';
    }
}

/* Expand word into buf (size max, at least 1): the bytes used, its NUL
 * included. What does not fit is cut off. */
static size_t expand(const char *word, char *buf, size_t max)
{
    size_t at = 0;
    for (const char *p = word; *p && at + 1 < max; p++) {
        char val[24];
        const char *s = val;
        if (*p != EXPAND) {
            buf[at++] = *p;
            continue;
        }
        char v = *++p;
        if (v == '?')
            snprintf(val, sizeof val, "%d", status);
        else if (v == '$')
            snprintf(val, sizeof val, "%d", (int)getpid());
        else if (v == '!')
            snprintf(val, sizeof val, "%d", (int)last_bg);
        else if (v == '#')
            snprintf(val, sizeof val, "%d", npos > 0 ? npos - 1 : 0);
        else
            s = v - '0' < npos ? pos[v - '0'] : "";
        size_t len = strlen(s);
        if (len > max - 1 - at)
            len = max - 1 - at;
        memcpy(buf + at, s, len);
        at += len;
    }
    buf[at] = '\0';
    return at + 1;
}

/* ---- Built-in commands --------------------------------------------------- */

/* exit [N]: leave with status N (default: the last status). */
static int builtin_exit(int argc, char **argv)
{
    exit(argc > 1 ? atoi(argv[1]) & 0xff : status);
}

/* wait [PID...]: wait for those background jobs (all children if none);
 * the status is that of the last one waited for (127 if it is unknown). */
static int builtin_wait(int argc, char **argv)
{
    int w, st = 0;
    if (argc == 1) {
        pid_t pid;
        while ((pid = wait(&w)) > 0)
            job_ended(pid, w);
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        pid_t pid = (pid_t)atoi(argv[i]);
        struct job *j = find_job(pid);
        if (j && !j->done && waitpid(pid, &w, 0) == pid)
            job_ended(pid, w);
        st = j ? j->status : 127;
        if (j)
            j->pid = 0; /* asked for: forget it */
        else
            fprintf(stderr, "sh: wait: %s: no such job\n", argv[i]);
    }
    return st;
}

/* The commands the shell runs itself: they change the shell. */
static const struct builtin {
    const char *name;
    int (*fn)(int argc, char **argv);
    const char *usage;
} builtins[] = {
    {"exit", builtin_exit, "exit [N]"},
    {"wait", builtin_wait, "wait [PID...]"},
};

static const struct builtin *find_builtin(const char *name)
{
    for (unsigned i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
        if (strcmp(builtins[i].name, name) == 0)
            return &builtins[i];
    return NULL;
}

/* ---- Running commands -------------------------------------------------- */

struct cmd {
    int argc;
    char **argv; /* argc words and a NULL, in run_tokens' argv array */
};

/* In the child: run cmd, never return. */
static void exec_cmd(struct cmd *c)
{
    const struct builtin *b = find_builtin(c->argv[0]);
    if (b)
        exit(b->fn(c->argc, c->argv));
    execvp(c->argv[0], c->argv);
    int e = errno;
    if (e == ENOENT)
        fprintf(stderr, "sh: %s: not found\n", c->argv[0]);
    else
        fprintf(stderr, "sh: %s: %s\n", c->argv[0], strerror(e));
    _exit(e == ENOENT ? 127 : 126);
}

/* Run the pipeline cmds[0] | ... | cmds[n-1]: each command in a child,
 * each one's output the next one's input. In the foreground, wait for
 * all of them: the status is the last one's. In the background, return
 * at once (status 0). */
static int run_pipeline(struct cmd *cmds, int n, int background)
{
    /* A lone built-in in the foreground runs in the shell itself. */
    const struct builtin *b = find_builtin(cmds[0].argv[0]);
    if (n == 1 && b && !background)
        return b->fn(cmds[0].argc, cmds[0].argv);

    pid_t pids[MAX_CMDS];
    int in = -1;    /* the read end of the previous command's pipe */
    fflush(stdout); /* nothing of ours may be printed twice */
    for (int i = 0; i < n; i++) {
        int fds[2] = {-1, -1};
        if (i + 1 < n && pipe(fds) < 0) {
            fprintf(stderr, "sh: pipe: %s\n", strerror(errno));
            n = i;
            break;
        }
        pids[i] = fork();
        if (pids[i] == 0) {
            if (in >= 0) {
                dup2(in, 0);
                close(in);
            }
            if (fds[1] >= 0) {
                dup2(fds[1], 1);
                close(fds[1]);
                close(fds[0]);
            }
            exec_cmd(&cmds[i]);
        }
        if (pids[i] < 0)
            fprintf(stderr, "sh: fork: %s\n", strerror(errno));
        if (in >= 0)
            close(in);
        if (fds[1] >= 0)
            close(fds[1]);
        in = fds[0];
        if (pids[i] < 0) {
            if (in >= 0)
                close(in);
            n = i;
            break;
        }
    }
    if (n == 0)
        return 1;
    if (background) {
        for (int i = 0; i < n; i++)
            add_job(pids[i]);
        last_bg = pids[n - 1];
        return 0;
    }
    int st = 0;
    for (int i = 0; i < n; i++) {
        int w;
        if (waitpid(pids[i], &w, 0) == pids[i] && i == n - 1)
            st = exit_code(w);
    }
    return st;
}

/* Run a tokenized line: pipelines and the operators between them. */
static void run_tokens(void)
{
    static struct cmd cmds[MAX_CMDS];
    static char *argvs[MAX_TOKENS + MAX_CMDS]; /* every command's argv */
    static char words[4 * LINE_MAX]; /* one pipeline's expanded words */
    size_t used = 0;
    int skip = 0, i = 0;
    while (tokens[i].type != T_END) {
        int n = 0, nargv = 0;
        cmds[0] = (struct cmd){0, argvs};
        for (; tokens[i].type == T_WORD || tokens[i].type == T_PIPE; i++) {
            struct cmd *c = &cmds[n];
            if (tokens[i].type == T_PIPE) {
                if (c->argc == 0 || n + 1 == MAX_CMDS) {
                    syntax_error("|");
                    return;
                }
                nargv++; /* c's NULL */
                cmds[++n] = (struct cmd){0, argvs + nargv};
                continue;
            }
            c->argv[c->argc] = (char *)""; /* if words is full */
            if (used < sizeof words) {
                c->argv[c->argc] = words + used;
                used +=
                    expand(tokens[i].text, words + used, sizeof words - used);
            }
            c->argv[++c->argc] = NULL;
            nargv++;
        }
        enum toktype op = tokens[i].type;
        if (cmds[n].argc == 0) {
            syntax_error(op == T_END ? "end of line" : "an operator");
            return;
        }
        if (!skip)
            status = run_pipeline(cmds, n + 1, op == T_BG);
        reap_jobs(); /* and any orphan we adopted as pid 1 */
        skip = (op == T_AND && status != 0) || (op == T_OR && status == 0);
        if (op != T_END)
            i++;
        used = 0;
    }
}

static void run_line(const char *line)
{
    if (lex(line) > 0)
        run_tokens();
}

/* Read one line from fd 0 into buf (without its newline), byte by byte,
 * so that whatever follows it is still there for the commands the line
 * runs. 0, or -1 at the end of input with nothing read. */
static int read_line(char *buf, size_t max)
{
    size_t n = 0;
    ssize_t r;
    char c;
    while ((r = read(0, &c, 1)) == 1 && c != '\n')
        if (n + 1 < max)
            buf[n++] = c;
    buf[n] = '\0';
    return r <= 0 && n == 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
    static char line[LINE_MAX];
    if (argc >= 2 && strcmp(argv[1], "-c") == 0) {
        if (argc < 3) {
            fprintf(stderr, "usage: sh [-c 'COMMANDS' [ARG0 [ARGS...]]]\n");
            return 2;
        }
        pos = argv + 3;
        npos = argc - 3;
        if (npos == 0) {
            pos = argv;
            npos = 1;
        }
        run_line(argv[2]);
        return status;
    }
    if (argc > 1) {
        fprintf(stderr, "usage: sh [-c 'COMMANDS' [ARG0 [ARGS...]]]\n");
        return 2;
    }
    pos = argv;
    npos = 1;
    interactive = isatty(0);
    for (;;) {
        if (interactive) {
            printf("$ ");
            fflush(stdout);
        }
        if (read_line(line, sizeof line) < 0)
            break;
        run_line(line);
    }
    if (interactive)
        printf("\n");
    return status;
}
