/* version.c: lde's version string (cli.h), from the project's version. */
#include "cli.h"

const char cli_version[] = "lde " LDE_VERSION;
