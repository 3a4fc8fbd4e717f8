/*
 * file.h: open files (xv6's struct file). A process's file descriptors
 * index its ofile[] table; each entry points at an open file, which fork,
 * dup and dup3 share (its reference count says by how many descriptors)
 * and the last close releases. An open file is one of the console's three
 * streams or one end of a pipe.
 */
#ifndef FILE_H
#define FILE_H

#include <stdint.h>

enum filetype {
    FD_NONE,    /* a free entry */
    FD_CONSOLE, /* the console: input, output or error stream */
    FD_PIPE,    /* one end of a pipe */
};

struct pipe;

struct file {
    enum filetype type;
    uint32_t ref;      /* descriptors (in all processes) that refer to it */
    uint8_t readable;  /* opened for reading */
    uint8_t writable;  /* opened for writing */
    uint32_t flags;    /* status flags: LDE_O_NONBLOCK (pipes only) */
    int stream;        /* FD_CONSOLE: 0 input, 1 output, 2 error */
    struct pipe *pipe; /* FD_PIPE */
};

#endif /* FILE_H */
