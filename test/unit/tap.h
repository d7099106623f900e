/*
 * tap.h
 *		A tiny TAP producer for the C unit tests of the core.
 */
#ifndef TTHC_TAP_H
#define TTHC_TAP_H

#include <stdio.h>

static int	tap_count = 0;
static int	tap_failed = 0;

#define ok(cond, ...) tap_ok((cond) ? 1 : 0, __FILE__, __LINE__, __VA_ARGS__)

static void
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static void
tap_ok(int pass, const char *file, int line, const char *fmt, ...)
{
	va_list		ap;

	tap_count++;
	if (!pass)
		tap_failed++;
	printf("%s %d - ", pass ? "ok" : "not ok", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!pass)
		printf("#   failed at %s:%d\n", file, line);
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed == 0 ? 0 : 1;
}

#endif							/* TTHC_TAP_H */
