#include "size.h"

int format_size(unsigned long long n, char *out, size_t size) {
    (void)n;
    (void)out;
    (void)size;
    return -1; /* not implemented yet */
}

int parse_size(const char *text, unsigned long long *out) {
    (void)text;
    (void)out;
    return -1; /* not implemented yet */
}
