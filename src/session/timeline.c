/*
 * timeline.c: snapshots, replay and the console logs behind reverse
 * execution (timeline.h).
 *
 * RAM is kept as deltas: snapshot k stores the pages that differ from
 * snapshot k-1 (the first one stores every page that is not all zeros),
 * so page p as of snapshot k is the newest copy of p among snapshots
 * 0..k, or zeros. The machine's RAM is always "snapshot ref, plus the
 * pages the cpu noted as written since, plus the pages marked stale":
 * moving ref from one snapshot to another marks stale the pages of the
 * deltas in between, which is all a restore has to rewrite.
 */
#include "timeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "session.h"

#define TL_MAX_KEEP 8

struct tl_page {
    uint32_t page;
    uint8_t *data; /* CPU_PAGE_SIZE bytes (less for a last, partial page);
                      NULL: all zeros */
};

struct tl_snap {
    uint64_t when;            /* cpu_steps() */
    uint8_t *cpu;             /* cpu_state_size() bytes */
    struct session_acct acct; /* its pid[] a copy of the session's */
    uint64_t out_pos;         /* console bytes written so far */
    size_t in_next;           /* the next input-log entry not yet given */
    uint8_t *host;            /* the kept regions, one after the other */
    struct tl_page *pages;    /* sorted by page */
    uint32_t npages;
};

/* Console input as it entered the machine, with the step it entered at. */
struct tl_input {
    uint64_t when;
    size_t off; /* into bytes */
    uint32_t len;
    bool close; /* the input was closed (len == 0) */
};

struct timeline {
    struct session *s;
    struct timeline_limits lim;
    struct tl_snap *snaps;
    unsigned nsnaps, cap;
    unsigned ref;    /* RAM = snapshot ref + written + stale pages */
    uint8_t *stale;  /* a byte per page */
    uint32_t npages; /* pages of RAM */
    uint64_t frontier;
    uint64_t out_pos, out_printed;
    struct tl_input *log;
    size_t nlog, logcap, in_next;
    uint8_t *bytes;
    size_t nbytes, bytescap;
    struct {
        void *p;
        size_t len;
    } keep[TL_MAX_KEEP];
    unsigned nkeep;
    size_t keep_len;
    size_t held;   /* bytes held by the snapshots */
    size_t stored; /* pages stored (not zeros) */
    uint64_t replayed;
};

static const uint8_t zero_page[CPU_PAGE_SIZE];

static uint64_t now(const struct timeline *t)
{
    return cpu_steps(t->s->cpu);
}

static uint32_t page_len(const struct timeline *t, uint32_t page)
{
    uint64_t start = (uint64_t)page << CPU_PAGE_SHIFT;
    uint64_t left = t->s->cpu->ram_size - start;
    return left < CPU_PAGE_SIZE ? (uint32_t)left : CPU_PAGE_SIZE;
}

static size_t snap_fixed_bytes(const struct timeline *t)
{
    return sizeof(struct tl_snap) + cpu_state_size() + t->keep_len;
}

/* ---- Pages ------------------------------------------------------------- */

static const struct tl_page *find_page(const struct tl_snap *sn, uint32_t p)
{
    uint32_t lo = 0, hi = sn->npages;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (sn->pages[mid].page < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < sn->npages && sn->pages[lo].page == p ? &sn->pages[lo] : NULL;
}

/* Page p as of snapshot k: the newest copy at or before k. */
static const uint8_t *page_as_of(const struct timeline *t, unsigned k,
                                 uint32_t p)
{
    for (unsigned j = k + 1; j-- > 0;) {
        const struct tl_page *pg = find_page(&t->snaps[j], p);
        if (pg != NULL)
            return pg->data != NULL ? pg->data : zero_page;
    }
    return zero_page;
}

/* Move ref to snapshot k: the pages that differ in between become stale. */
static void rebase_ref(struct timeline *t, unsigned k)
{
    unsigned lo = t->ref < k ? t->ref : k, hi = t->ref < k ? k : t->ref;
    for (unsigned j = lo + 1; j <= hi; j++)
        for (uint32_t i = 0; i < t->snaps[j].npages; i++)
            t->stale[t->snaps[j].pages[i].page] = 1;
    t->ref = k;
}

static bool differs(const struct timeline *t, uint32_t p)
{
    return cpu_page_written(t->s->cpu, p) || t->stale[p];
}

static void clear_differences(struct timeline *t)
{
    cpu_clear_written(t->s->cpu);
    memset(t->stale, 0, t->npages);
}

static bool all_zero(const uint8_t *b, uint32_t n)
{
    return n == 0 || (b[0] == 0 && memcmp(b, b + 1, n - 1) == 0);
}

/* The per-process accounting grows with the pids (session.h): a
 * snapshot keeps its own copy of the table. */
static int copy_acct(struct session_acct *dst, const struct session_acct *src)
{
    *dst = *src;
    dst->pid = NULL;
    if (src->npid == 0)
        return 0;
    dst->pid = malloc(src->npid * sizeof *dst->pid);
    if (dst->pid == NULL) {
        dst->npid = 0;
        return -1;
    }
    memcpy(dst->pid, src->pid, src->npid * sizeof *dst->pid);
    return 0;
}

/* The session's accounting as the snapshot had it; the table's memory
 * stays the session's (session.c grows it with realloc). */
static void restore_acct(struct session_acct *dst,
                         const struct session_acct *src)
{
    struct session_pid_acct *table = dst->pid;
    uint32_t cap = dst->npid;
    if (cap < src->npid) {
        struct session_pid_acct *t2 = realloc(table, src->npid * sizeof *t2);
        if (t2 != NULL) {
            table = t2;
            cap = src->npid;
        }
    }
    *dst = *src;
    dst->pid = table;
    /* Out of memory to hold it all: the run goes on with what fits (the
     * session sends what does not fit to acct.lost, its own rule). */
    dst->npid = src->npid < cap ? src->npid : cap;
    if (dst->npid > 0)
        memcpy(table, src->pid, dst->npid * sizeof *table);
}

static void free_snap(struct timeline *t, struct tl_snap *sn)
{
    for (uint32_t i = 0; i < sn->npages; i++) {
        if (sn->pages[i].data != NULL) {
            free(sn->pages[i].data);
            t->held -= CPU_PAGE_SIZE;
            t->stored--;
        }
    }
    t->held -= snap_fixed_bytes(t) + sn->npages * sizeof(struct tl_page) +
               sn->acct.npid * sizeof *sn->acct.pid;
    free(sn->acct.pid);
    free(sn->pages);
    free(sn->cpu);
    free(sn->host);
    memset(sn, 0, sizeof *sn);
}

/* ---- Taking and dropping snapshots ------------------------------------- */

static int take_snapshot(struct timeline *t)
{
    struct cpu *cpu = t->s->cpu;
    bool first = t->nsnaps == 0;
    if (t->nsnaps == t->cap) {
        unsigned cap = t->cap ? 2 * t->cap : 64;
        struct tl_snap *ns = realloc(t->snaps, cap * sizeof *ns);
        if (ns == NULL)
            return -1;
        t->snaps = ns;
        t->cap = cap;
    }
    if (!first)
        rebase_ref(t, t->nsnaps - 1);
    struct tl_snap sn = {.when = now(t)};
    uint32_t n = 0;
    for (uint32_t p = 0; p < t->npages; p++)
        n += differs(t, p);
    sn.cpu = malloc(cpu_state_size());
    sn.host = malloc(t->keep_len ? t->keep_len : 1);
    sn.pages = malloc((n ? n : 1) * sizeof *sn.pages);
    if (sn.cpu == NULL || sn.host == NULL || sn.pages == NULL)
        goto oom;
    for (uint32_t p = 0; p < t->npages; p++) {
        if (!differs(t, p))
            continue;
        uint32_t len = page_len(t, p);
        const uint8_t *ram = cpu->ram + ((size_t)p << CPU_PAGE_SHIFT);
        uint8_t *data = NULL;
        if (!all_zero(ram, len)) {
            data = malloc(CPU_PAGE_SIZE);
            if (data == NULL)
                goto oom;
            memcpy(data, ram, len);
            t->held += CPU_PAGE_SIZE;
            t->stored++;
        } else if (first) {
            continue; /* absent from every snapshot means zeros */
        }
        sn.pages[sn.npages++] = (struct tl_page){p, data};
    }
    cpu_state_save(cpu, sn.cpu);
    if (copy_acct(&sn.acct, &t->s->acct) != 0)
        goto oom;
    t->held += sn.acct.npid * sizeof *sn.acct.pid;
    sn.out_pos = t->out_pos;
    sn.in_next = t->in_next;
    size_t at = 0;
    for (unsigned i = 0; i < t->nkeep; i++) {
        memcpy(sn.host + at, t->keep[i].p, t->keep[i].len);
        at += t->keep[i].len;
    }
    t->held += snap_fixed_bytes(t) + sn.npages * sizeof(struct tl_page);
    t->snaps[t->nsnaps] = sn;
    t->ref = t->nsnaps++;
    clear_differences(t);
    return 0;
oom:
    t->held += snap_fixed_bytes(t) + sn.npages * sizeof(struct tl_page);
    free_snap(t, &sn);
    return -1;
}

/* Drop snapshot j (0 < j < nsnaps - 1): its pages that the next one does
 * not replace move into the next one, which then still differs from
 * snapshot j - 1 by exactly its delta. */
static int merge_into_next(struct timeline *t, unsigned j)
{
    struct tl_snap *a = &t->snaps[j], *b = &t->snaps[j + 1];
    struct tl_page *m = malloc((a->npages + b->npages + 1) * sizeof *m);
    if (m == NULL)
        return -1;
    if (t->ref == j)
        rebase_ref(t, j - 1);
    size_t entries = (size_t)a->npages + b->npages;
    uint32_t i = 0, k = 0, n = 0;
    while (i < a->npages || k < b->npages) {
        if (k == b->npages ||
            (i < a->npages && a->pages[i].page < b->pages[k].page)) {
            m[n++] = a->pages[i++]; /* moves on to b */
        } else if (i == a->npages || b->pages[k].page < a->pages[i].page) {
            m[n++] = b->pages[k++];
        } else {
            m[n++] = b->pages[k++]; /* the newer copy wins */
            if (a->pages[i].data != NULL) {
                free(a->pages[i].data);
                t->held -= CPU_PAGE_SIZE;
                t->stored--;
            }
            i++;
        }
    }
    free(b->pages);
    b->pages = m;
    b->npages = n;
    t->held -= entries * sizeof(struct tl_page);
    t->held += n * sizeof(struct tl_page);
    a->npages = 0; /* its pages moved or were freed above */
    free_snap(t, a);
    memmove(&t->snaps[j], &t->snaps[j + 1],
            (t->nsnaps - j - 1) * sizeof *t->snaps);
    t->nsnaps--;
    if (t->ref > j)
        t->ref--;
    return 0;
}

/* Keep within the limits: drop the snapshot whose loss widens the gap
 * least for its age, so old ones thin out and recent ones stay dense. */
static void thin(struct timeline *t)
{
    uint64_t n0 = now(t);
    while (t->nsnaps > 2 &&
           (t->nsnaps > t->lim.max_snaps || t->held > t->lim.max_bytes)) {
        unsigned best = 0;
        double best_cost = 0;
        for (unsigned j = 1; j + 1 < t->nsnaps; j++) {
            double gap = (double)(t->snaps[j + 1].when - t->snaps[j - 1].when);
            double age = (double)(n0 - t->snaps[j].when) + 1;
            double cost = gap / age;
            if (best == 0 || cost < best_cost) {
                best = j;
                best_cost = cost;
            }
        }
        if (merge_into_next(t, best) != 0)
            return;
    }
}

/* Drop the last snapshot (nothing after it depends on it). */
static void drop_last(struct timeline *t)
{
    unsigned j = t->nsnaps - 1;
    if (t->ref == j && j > 0)
        rebase_ref(t, j - 1);
    free_snap(t, &t->snaps[j]);
    t->nsnaps--;
}

/* ---- Life cycle -------------------------------------------------------- */

struct timeline *timeline_create(struct session *s,
                                 const struct timeline_limits *lim)
{
    struct timeline *t = calloc(1, sizeof *t);
    if (t == NULL)
        return NULL;
    t->s = s;
    t->lim =
        lim ? *lim
            : (struct timeline_limits){TIMELINE_INTERVAL, TIMELINE_MAX_BYTES,
                                       TIMELINE_MAX_SNAPS};
    if (t->lim.interval == 0)
        t->lim.interval = 1;
    if (t->lim.max_snaps < 2)
        t->lim.max_snaps = 2;
    t->npages = (uint32_t)(((uint64_t)s->cpu->ram_size + CPU_PAGE_SIZE - 1) >>
                           CPU_PAGE_SHIFT);
    t->stale = calloc(t->npages, 1);
    if (t->stale == NULL || timeline_reset(t) != 0) {
        timeline_destroy(t);
        return NULL;
    }
    return t;
}

void timeline_destroy(struct timeline *t)
{
    if (t == NULL)
        return;
    while (t->nsnaps > 0)
        free_snap(t, &t->snaps[--t->nsnaps]);
    free(t->snaps);
    free(t->stale);
    free(t->log);
    free(t->bytes);
    if (t->s->cpu != NULL)
        cpu_track_writes(t->s->cpu, false);
    free(t);
}

int timeline_reset(struct timeline *t)
{
    while (t->nsnaps > 0)
        free_snap(t, &t->snaps[--t->nsnaps]);
    t->ref = 0;
    t->nlog = t->in_next = t->nbytes = 0;
    t->out_pos = t->out_printed = 0;
    t->frontier = now(t);
    memset(t->stale, 0, t->npages);
    /* The first snapshot stores the pages that are not zeros: those
     * written since the cpu began to note writes. A session that means
     * to record starts noting before boot (session.h, record), so this
     * is the kernel and the boot data; otherwise every page counts (and
     * is read, to find out). */
    if (t->s->cpu->written == NULL && cpu_track_writes(t->s->cpu, true) != 0)
        return -1;
    return take_snapshot(t);
}

int timeline_keep(struct timeline *t, void *bytes, size_t len)
{
    if (t->nkeep == TL_MAX_KEEP)
        return -1;
    /* The snapshots taken so far keep the bytes as they are now. */
    for (unsigned i = 0; i < t->nsnaps; i++) {
        uint8_t *h = realloc(t->snaps[i].host, t->keep_len + len);
        if (h == NULL)
            return -1;
        memcpy(h + t->keep_len, bytes, len);
        t->snaps[i].host = h;
    }
    t->held += t->nsnaps * len;
    t->keep[t->nkeep].p = bytes;
    t->keep[t->nkeep].len = len;
    t->nkeep++;
    t->keep_len += len;
    return 0;
}

/* ---- Moving ------------------------------------------------------------ */

void timeline_tick(struct timeline *t)
{
    uint64_t n0 = now(t);
    if (n0 > t->frontier)
        t->frontier = n0;
    const struct tl_snap *last = &t->snaps[t->nsnaps - 1];
    if (n0 >= last->when + t->lim.interval && take_snapshot(t) == 0)
        thin(t);
}

uint64_t timeline_now(const struct timeline *t)
{
    return now(t);
}

uint64_t timeline_start(const struct timeline *t)
{
    return t->snaps[0].when;
}

uint64_t timeline_frontier(const struct timeline *t)
{
    uint64_t n0 = now(t);
    return n0 > t->frontier ? n0 : t->frontier;
}

bool timeline_replaying(const struct timeline *t)
{
    return now(t) < t->frontier;
}

bool timeline_snapshot_before(const struct timeline *t, uint64_t when,
                              uint64_t *at)
{
    for (unsigned j = t->nsnaps; j-- > 0;)
        if (t->snaps[j].when < when) {
            *at = t->snaps[j].when;
            return true;
        }
    return false;
}

/* Put snapshot k back: RAM, the cpu, and the host's state. */
static void restore(struct timeline *t, unsigned k)
{
    struct cpu *cpu = t->s->cpu;
    rebase_ref(t, k);
    for (uint32_t p = 0; p < t->npages; p++)
        if (differs(t, p))
            cpu_load(cpu, p << CPU_PAGE_SHIFT, page_as_of(t, k, p),
                     page_len(t, p));
    clear_differences(t);
    const struct tl_snap *sn = &t->snaps[k];
    cpu_state_restore(cpu, sn->cpu);
    restore_acct(&t->s->acct, &sn->acct);
    t->out_pos = sn->out_pos;
    t->in_next = sn->in_next;
    size_t at = 0;
    for (unsigned i = 0; i < t->nkeep; i++) {
        memcpy(t->keep[i].p, sn->host + at, t->keep[i].len);
        at += t->keep[i].len;
    }
}

/* Run forward to step `when` exactly. cpu_run(n) takes at most n + 1
 * steps (cpu.h), so it goes most of the way; single steps finish. */
static int run_to(struct timeline *t, uint64_t when, char *err, size_t errlen)
{
    struct cpu *cpu = t->s->cpu;
    uint64_t cur;
    while ((cur = cpu_steps(cpu)) < when) {
        uint64_t rem = when - cur;
        enum cpu_stop why = rem > 64 ? cpu_run(cpu, rem - 32) : cpu_step(cpu);
        if (cpu_steps(cpu) > cur || why == STOP_BUDGET || why == STOP_HOOK ||
            why == STOP_BREAKPOINT)
            continue;
        snprintf(err, errlen,
                 "the replay stopped at step %llu, before step %llu (%s)",
                 (unsigned long long)cur, (unsigned long long)when,
                 cpu_stop_name(why));
        return -1;
    }
    return 0;
}

int timeline_seek(struct timeline *t, uint64_t when, char *err, size_t errlen)
{
    struct cpu *cpu = t->s->cpu;
    uint64_t n0 = now(t), front = timeline_frontier(t);
    if (n0 > t->frontier)
        t->frontier = n0;
    if (when < timeline_start(t) || when > front) {
        snprintf(err, errlen,
                 "step %llu is outside the recorded history (steps %llu to "
                 "%llu)",
                 (unsigned long long)when,
                 (unsigned long long)timeline_start(t),
                 (unsigned long long)front);
        return -1;
    }
    unsigned k = 0;
    for (unsigned j = t->nsnaps; j-- > 0;)
        if (t->snaps[j].when <= when) {
            k = j;
            break;
        }
    /* Going forward from here is cheaper unless a snapshot is nearer; a
     * wait cut short is not the first boundary of its step. */
    bool from_here =
        n0 <= when && n0 >= t->snaps[k].when && !(n0 == when && cpu->in_wfi);
    if (!from_here)
        restore(t, k);
    uint32_t bps[MAX_BREAKPOINTS];
    unsigned nbp = cpu->nbreakpoints;
    memcpy(bps, cpu->breakpoints, sizeof bps);
    while (cpu->nbreakpoints > 0)
        cpu_break_remove(cpu, cpu->breakpoints[0]);
    uint64_t from = cpu_steps(cpu);
    int rc = run_to(t, when, err, errlen);
    t->replayed += cpu_steps(cpu) - from;
    for (unsigned i = 0; i < nbp; i++)
        cpu_break_add(cpu, bps[i]);
    return rc;
}

void timeline_fork(struct timeline *t)
{
    uint64_t n0 = now(t);
    while (t->nsnaps > 1 && t->snaps[t->nsnaps - 1].when >= n0)
        drop_last(t);
    if (t->snaps[0].when >= n0) {
        /* A change at the very start: the first snapshot again, whole. */
        free_snap(t, &t->snaps[0]);
        t->nsnaps = 0;
        t->ref = 0;
        memset(t->stale, 0, t->npages);
        cpu_track_writes(t->s->cpu, true);
    }
    t->nlog = t->in_next;
    t->nbytes = t->nlog ? t->log[t->nlog - 1].off + t->log[t->nlog - 1].len : 0;
    t->frontier = n0;
    t->out_printed = t->out_pos;
    if (take_snapshot(t) == 0)
        thin(t);
}

/* ---- Console ----------------------------------------------------------- */

bool timeline_output(struct timeline *t)
{
    if (++t->out_pos <= t->out_printed)
        return false;
    t->out_printed = t->out_pos;
    return true;
}

static int log_input(struct timeline *t, uint64_t when, const uint8_t *b,
                     uint32_t len, bool close)
{
    if (t->nlog == t->logcap) {
        size_t cap = t->logcap ? 2 * t->logcap : 64;
        struct tl_input *nl = realloc(t->log, cap * sizeof *nl);
        if (nl == NULL)
            return -1;
        t->log = nl;
        t->logcap = cap;
    }
    if (t->nbytes + len > t->bytescap) {
        size_t cap = t->bytescap ? t->bytescap : 4096;
        while (cap < t->nbytes + len)
            cap *= 2;
        uint8_t *nb = realloc(t->bytes, cap);
        if (nb == NULL)
            return -1;
        t->bytes = nb;
        t->bytescap = cap;
    }
    if (len > 0)
        memcpy(t->bytes + t->nbytes, b, len);
    t->log[t->nlog++] = (struct tl_input){when, t->nbytes, len, close};
    t->nbytes += len;
    return 0;
}

void timeline_input(struct timeline *t, struct cpu *cpu,
                    void (*feed)(void *ctx, struct cpu *cpu), void *ctx)
{
    uint64_t n0 = now(t);
    bool gave = false;
    while (t->in_next < t->nlog && t->log[t->in_next].when <= n0) {
        const struct tl_input *e = &t->log[t->in_next++];
        if (e->close)
            cpu_console_close(cpu);
        else
            cpu_console_input(cpu, t->bytes + e->off, e->len);
        gave = true;
    }
    if (gave || n0 < t->frontier)
        return; /* the recorded past: what came then, and only that */
    uint32_t count = cpu->console.rx_count, head = cpu->console.rx_head;
    bool closed = cpu->console.rx_closed;
    feed(ctx, cpu);
    uint32_t added = cpu->console.rx_count - count;
    if (added > 0) {
        uint8_t buf[CONSOLE_RXBUF];
        for (uint32_t i = 0; i < added; i++)
            buf[i] = cpu->console.rx[(head + count + i) % CONSOLE_RXBUF];
        log_input(t, n0, buf, added, false);
    }
    if (cpu->console.rx_closed && !closed)
        log_input(t, n0, NULL, 0, true);
    t->in_next = t->nlog;
}

void timeline_stats(const struct timeline *t, struct timeline_stats *out)
{
    *out = (struct timeline_stats){
        .snaps = t->nsnaps,
        .bytes = t->held,
        .pages = t->stored,
        .oldest = t->snaps[0].when,
        .newest = t->snaps[t->nsnaps - 1].when,
        .input_log = t->nlog,
        .replayed = t->replayed,
    };
}
