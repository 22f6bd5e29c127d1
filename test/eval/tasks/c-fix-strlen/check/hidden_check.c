#include <stdio.h>
#include <string.h>
#include "mystr.h"

int main(void) {
    char a[] = "abcd", b[] = "xyz", e[] = "";
    my_reverse(a); my_reverse(b); my_reverse(e);
    if (my_strlen("") != 0 || strcmp(a, "dcba") || strcmp(b, "zyx") || strcmp(e, "")) { puts("wrong"); return 1; }
    return 0;
}
