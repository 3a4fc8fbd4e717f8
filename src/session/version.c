/* version.c: lde's version string (session.h), from the project's version. */
#include "session.h"

const char session_version[] = "lde " LDE_VERSION;
