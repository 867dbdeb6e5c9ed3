/* Unit tests of the console formatter (src/core/fmt.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "console.h"

static void check(const char *expect, const char *fmt, ...)
{
    char buf[64];
    va_list ap;
    va_start(ap, fmt);
    int n = fmt_vformat(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    assert_string_equal(buf, expect);
    assert_int_equal(n, (int)strlen(expect));
}

static void test_integers(void **state)
{
    (void)state;
    check("0 -5 42", "%d %d %u", 0, -5, 42u);
    check("0x7f000000", "0x%lx", (unsigned long)0x7f000000);
    check("ffffffffffffffff", "%llx", 0xffffffffffffffffull);
    check("-9223372036854775808", "%lld", (long long)INT64_MIN);
    check("007 -07", "%03d %03d", 7, -7);
}

static void test_strings_and_chars(void **state)
{
    (void)state;
    check("VM 'app' (null)", "VM '%s' %s", "app", (const char *)NULL);
    check("  ab|c%", "%4s|%c%%", "ab", 'c');
}

static void test_truncation_keeps_terminator(void **state)
{
    (void)state;
    char buf[8];
    int n = fmt_format(buf, sizeof(buf), "%s", "0123456789");
    assert_int_equal(n, 10);
    assert_string_equal(buf, "0123456");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_strings_and_chars),
        cmocka_unit_test(test_truncation_keeps_terminator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
