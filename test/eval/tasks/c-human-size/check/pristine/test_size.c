/* Tests for size.c: make test */
#include <stdio.h>
#include <string.h>
#include "size.h"

static int failures = 0;

static void expect_format(unsigned long long n, const char *want) {
    char buf[64];
    int len = format_size(n, buf, sizeof buf);
    if (len != (int)strlen(want) || strcmp(buf, want) != 0) {
        printf("FAIL format_size(%llu): expected \"%s\", got \"%s\" (returned %d)\n", n, want, len < 0 ? "" : buf, len);
        failures++;
    }
}

static void expect_parse(const char *text, unsigned long long want) {
    unsigned long long got = 0;
    int rc = parse_size(text, &got);
    if (rc != 0 || got != want) {
        printf("FAIL parse_size(\"%s\"): expected %llu, got %llu (returned %d)\n", text, want, got, rc);
        failures++;
    }
}

static void expect_parse_error(const char *text) {
    unsigned long long got = 0;
    if (parse_size(text, &got) != -1) {
        printf("FAIL parse_size(\"%s\"): expected -1\n", text);
        failures++;
    }
}

int main(void) {
    expect_format(0, "0 B");
    expect_format(1023, "1023 B");
    expect_format(1024, "1.0 KiB");
    expect_format(1536, "1.5 KiB");
    expect_format(1048575, "1023.9 KiB");
    expect_format(1048576, "1.0 MiB");

    expect_parse("512", 512);
    expect_parse("10K", 10240);
    expect_parse("1.5M", 1572864);
    expect_parse("2 GiB", 2147483648ULL);
    expect_parse_error("ten");
    expect_parse_error("1.5");

    if (failures) {
        printf("%d check(s) failed\n", failures);
        return 1;
    }
    puts("all tests passed");
    return 0;
}
