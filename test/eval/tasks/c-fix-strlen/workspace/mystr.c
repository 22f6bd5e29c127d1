#include "mystr.h"

size_t my_strlen(const char *s) {
    size_t n = 0;
    while (s[n] != '\0') n++;
    return n + 1;
}

void my_reverse(char *s) {
    size_t n = my_strlen(s);
    for (size_t i = 0; i + 1 < n - i; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}
