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
    expect_format(1, "1 B");
    expect_format(1126, "1.0 KiB");
    expect_format(1127, "1.1 KiB");
    expect_format(1280, "1.2 KiB");
    expect_format(10240, "10.0 KiB");
    expect_format(5ULL * 1073741824ULL + 536870912ULL, "5.5 GiB");
    expect_format(1073741823ULL, "1023.9 MiB");
    expect_format(1099511627776ULL, "1.0 TiB");
    expect_format(1125899906842624ULL * 3, "3.0 PiB");
    expect_format(9223372036854775808ULL, "8.0 EiB");

    char small[8];
    memset(small, 'x', sizeof small);
    if (format_size(0, small, 4) != 3 || strcmp(small, "0 B") != 0) {
        puts("FAIL format_size(0) into 4 bytes should fit");
        failures++;
    }
    if (format_size(0, small, 3) != -1) {
        puts("FAIL format_size(0) into 3 bytes should return -1");
        failures++;
    }
    if (format_size(1536, small, 7) != -1) {
        puts("FAIL format_size(1536) into 7 bytes should return -1");
        failures++;
    }
    if (format_size(1536, small, 8) != 7 || strcmp(small, "1.5 KiB") != 0) {
        puts("FAIL format_size(1536) into 8 bytes should fit");
        failures++;
    }

    expect_parse("0", 0);
    expect_parse("1B", 1);
    expect_parse("7 B", 7);
    expect_parse("1K", 1024);
    expect_parse("1KiB", 1024);
    expect_parse("1.1K", 1126);
    expect_parse("0.5 KiB", 512);
    expect_parse("3MiB", 3145728);
    expect_parse("1G", 1073741824ULL);
    expect_parse("1.25 G", 1342177280ULL);
    expect_parse("2T", 2199023255552ULL);
    expect_parse("2 TiB", 2199023255552ULL);
    expect_parse("16777215T", 18446742974197923840ULL);
    expect_parse("18446744073709551615", 18446744073709551615ULL);
    expect_parse("007K", 7168);

    const char *bad[] = {
        "", " ", "K", "B", "1.", ".5K", "1..5K", "1.5.2K", "-1", "+1", "-1K", " 10K", "10K ", "10  K", "10X", "10k",
        "10KB", "10 kib", "1e3", "1.5 B", "1.5B", "0x10", "12 34", "16777216T", "18446744073709551616",
        "99999999999999999999999", "1P",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) expect_parse_error(bad[i]);

    if (failures) {
        printf("%d hidden check(s) failed\n", failures);
        return 1;
    }
    puts("all hidden tests passed");
    return 0;
}
