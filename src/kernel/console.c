/*
 * console.c: the console device (lde/machine.h CONSOLE_*). Output is
 * synchronous, one store per byte: TX for stdout, TXERR for stderr. Input
 * is polled first (reading STATUS lets the host supply a line at once);
 * only when none is there does a reader block, with the input interrupt
 * enabled until input arrives (vector 17) or the kernel finds it while
 * idle.
 */
#include "defs.h"
#include "proc.h"
#include "riscv.h"

/* Readers blocked on console input sleep on this channel. */
static char input_chan;
static uint32_t nreaders; /* processes blocked in console_read() */

void console_init(void)
{
    mmio_write(CONSOLE_BASE + CONSOLE_CTRL, 0);
}

void console_putc(int fd, char c)
{
    mmio_write(CONSOLE_BASE + (fd == 2 ? CONSOLE_TXERR : CONSOLE_TX),
               (uint8_t)c);
}

void console_write(int fd, const char *buf, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        console_putc(fd, buf[i]);
}

/* Move up to n waiting input bytes to buf, stopping after a newline (a
 * read returns at most one line, like a terminal). Returns the count, 0 at
 * end of input, -1 if no byte is waiting yet. */
static int console_take(char *buf, uint32_t n)
{
    uint32_t got = 0;
    while (got < n) {
        uint32_t st = mmio_read(CONSOLE_BASE + CONSOLE_STATUS);
        if (!(st & CONSOLE_ST_RXREADY)) {
            if (got == 0)
                return (st & CONSOLE_ST_RXCLOSED) ? 0 : -1;
            break;
        }
        char c = (char)mmio_read(CONSOLE_BASE + CONSOLE_RX);
        buf[got++] = c;
        if (c == '\n')
            break;
    }
    return (int)got;
}

/* read(0, ...): block (BLOCKED, on input_chan) until a byte or the end of
 * input is there. Returns the count, 0 at end of input, -EINTR if the
 * process was killed while it waited. */
int console_read(char *buf, uint32_t n)
{
    struct proc *p = myproc();
    for (;;) {
        int got = console_take(buf, n);
        if (got >= 0)
            return got;
        if (p->killed)
            return -LDE_EINTR;
        /* Nothing yet: let the device interrupt us when input arrives. */
        nreaders++;
        mmio_write(CONSOLE_BASE + CONSOLE_CTRL, CONSOLE_CTRL_RXIE);
        sleep(&input_chan, BLOCK_CONSOLE);
        nreaders--;
    }
}

/* Input arrived (or ended): wake the readers, who take it themselves. The
 * interrupt is level-triggered, so turn it off until someone waits again. */
static void console_wake_readers(void)
{
    mmio_write(CONSOLE_BASE + CONSOLE_CTRL, 0);
    wakeup(&input_chan);
}

/* Vector 17, taken while a process ran in user mode. */
void console_intr(void)
{
    console_wake_readers();
}

/* The idle loop and timer ticks: a pending input interrupt (input, or the
 * end of input) is not taken in kernel mode (IE stays 0), so look at the
 * device. Returns 1 if readers were woken. */
int console_poll(void)
{
    if (nreaders == 0)
        return 0;
    uint32_t st = mmio_read(CONSOLE_BASE + CONSOLE_STATUS);
    if (!(st & (CONSOLE_ST_RXREADY | CONSOLE_ST_RXCLOSED)))
        return 0;
    console_wake_readers();
    return 1;
}

int console_has_readers(void)
{
    return nreaders != 0;
}
