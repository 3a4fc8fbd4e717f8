/*
 * sched_lottery.c: lottery scheduling (OSTEP 9.1-9.3, Figure 9.1): at
 * every decision a ticket is drawn at random among those of the RUNNABLE
 * processes, and its holder runs for one quantum. Over many quanta each
 * gets the CPU in proportion to its tickets; over few, luck decides. The
 * draw is xorshift32 from `seed` (lottery:seed=N, default 1), so a run
 * can be repeated exactly. Tickets: `--tickets`, or lde_tickets().
 */
#include "proc.h"

static uint32_t state;

/* The seed, scrambled (MurmurHash3's finalizer) so that seeds 1, 2, 3
 * start unrelated sequences: xorshift's first outputs from nearby states
 * are alike. */
static void lottery_init(void)
{
    uint32_t h = (uint32_t)sched_param(SCHED_P_lottery_seed, 0, 1);
    h ^= h >> 16;
    h *= 0x85EBCA6Bu;
    h ^= h >> 13;
    h *= 0xC2B2AE35u;
    h ^= h >> 16;
    state = h ? h : 1; /* 0 is xorshift's one fixed point */
}

/* Marsaglia's xorshift32: a full period of 2^32 - 1. */
static uint32_t draw(void)
{
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static struct proc *lottery_pick(void)
{
    uint32_t total = 0;
    for (struct proc *p = proc; p < proc_end; p++)
        if (p->state == RUNNABLE)
            total += p->sched.tickets;
    if (total == 0)
        return 0;
    /* Figure 9.1: walk the list until the counter passes the winner. */
    uint32_t winner = draw() % total, counter = 0;
    for (struct proc *p = proc; p < proc_end; p++) {
        if (p->state != RUNNABLE)
            continue;
        counter += p->sched.tickets;
        if (counter > winner)
            return p;
    }
    return 0;
}

const struct sched_policy sched_lottery = {
    .name = "lottery",
    .init = lottery_init,
    .pick = lottery_pick,
};
