#include "observe.h"
int observe_json(FILE *f, const struct observer *o, double h) { (void)f; (void)o; (void)h; return 0; }
