#include <stdio.h>
#include "mystr.h"

int main(void) {
    if (my_strlen("hello") != 5) { puts("my_strlen(\"hello\") != 5"); return 1; }
    puts("ok");
    return 0;
}
