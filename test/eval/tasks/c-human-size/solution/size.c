#include "size.h"

#include <stdio.h>
#include <string.h>

int format_size(unsigned long long n, char *out, size_t size) {
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int len;
    if (n < 1024) {
        len = snprintf(out, size, "%llu B", n);
    } else {
        int k = 0;
        unsigned long long unit = 1024;
        while (k < 5 && n / unit >= 1024) {
            unit *= 1024;
            k++;
        }
        /* (n % unit) < 2^60, so times 10 still fits */
        len = snprintf(out, size, "%llu.%llu %s", n / unit, (n % unit) * 10 / unit, units[k]);
    }
    return len >= 0 && (size_t)len < size ? len : -1;
}

int parse_size(const char *text, unsigned long long *out) {
    static const struct { const char *name; unsigned long long factor; } units[] = {
        {"", 1}, {"B", 1}, {"K", 1ULL << 10}, {"KiB", 1ULL << 10}, {"M", 1ULL << 20}, {"MiB", 1ULL << 20},
        {"G", 1ULL << 30}, {"GiB", 1ULL << 30}, {"T", 1ULL << 40}, {"TiB", 1ULL << 40},
    };
    const char *p = text;
    unsigned long long whole = 0;
    if (*p < '0' || *p > '9') return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        unsigned long long digit = (unsigned long long)(*p - '0');
        if (whole > (~0ULL - digit) / 10) return -1;
        whole = whole * 10 + digit;
    }
    const char *frac = p, *frac_end = p;
    if (*p == '.') {
        frac = ++p;
        while (*p >= '0' && *p <= '9') p++;
        frac_end = p;
        if (frac_end == frac) return -1;
    }
    if (*p == ' ' && p[1] != '\0') p++;
    for (size_t i = 0; i < sizeof units / sizeof units[0]; i++) {
        if (strcmp(p, units[i].name) != 0) continue;
        unsigned long long factor = units[i].factor;
        if (frac_end > frac && factor < 1024) return -1;
        if (whole > ~0ULL / factor) return -1;
        /* floor(0.d1d2...dn * factor), exactly: Horner from the last digit, dividing by 10 each step */
        unsigned long long part = 0;
        for (const char *d = frac_end; d > frac; d--) part = (part + (unsigned long long)(d[-1] - '0') * factor) / 10;
        if (whole * factor > ~0ULL - part) return -1;
        *out = whole * factor + part;
        return 0;
    }
    return -1;
}
