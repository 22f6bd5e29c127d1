#ifndef SIZE_H
#define SIZE_H

#include <stddef.h>

/* Writes n bytes as text for people ("1023 B", "1.5 KiB", "2.0 GiB") into out (size bytes).
   Returns the length written without the NUL, or -1 when it does not fit. */
int format_size(unsigned long long n, char *out, size_t size);

/* Reads a size such as "512", "10K", "1.5 MiB" into *out (bytes). Returns 0, or -1 when text is
   not a size. */
int parse_size(const char *text, unsigned long long *out);

#endif
