#include <stdio.h>
#include "config.h"

int read_all(FILE *f) {
    char buf[BUF_SIZE];
    int total = 0;
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0) total += (int)n;
    return total;
}
