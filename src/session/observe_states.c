#include "observe.h"
void observe_states_table(FILE *f, const struct observer *o) { (void)f; (void)o; }
