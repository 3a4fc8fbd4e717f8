#include "observe.h"
int observe_chrome_trace(FILE *f, const struct observer *o) { (void)f; (void)o; return 0; }
