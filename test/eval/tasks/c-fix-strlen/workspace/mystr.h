#ifndef MYSTR_H
#define MYSTR_H
#include <stddef.h>
size_t my_strlen(const char *s);
void my_reverse(char *s);
#endif
