/*
 * debug.h: `lde debug`, the single-step debugger that knows the LDE
 * machine and its kernel (docs/debugger.md).
 */
#ifndef LDE_DEBUG_H
#define LDE_DEBUG_H

/* `lde debug [-x FILE] [run options] PROGRAM...`; argv[0] = "debug".
 * Returns lde's exit status: 0 after quit, or a usage or file error. */
int debug_main(int argc, char **argv);

#endif /* LDE_DEBUG_H */
