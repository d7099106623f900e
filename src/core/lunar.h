/*
 * lunar.h
 *		The Vietnamese lunisolar calendar (âm lịch), computed.
 *
 * Pure C, no PostgreSQL header: unit-tested on its own (test/unit).
 *
 * Vietnam reckons lunar months from new moons observed at UTC+7, while the
 * Chinese calendar uses UTC+8; the two differ in some years (Tết 1985 fell on
 * 21 January in Vietnam and on 20 February in China).  New moons and solar
 * terms follow Jean Meeus, "Astronomical Algorithms", the method published
 * for the Vietnamese calendar by Hồ Ngọc Đức.
 */
#ifndef TTHC_LUNAR_H
#define TTHC_LUNAR_H

#include <stdbool.h>

/* Time zone, in hours east of Greenwich, of the Vietnamese calendar. */
#define TTHC_LUNAR_TZ 7.0

/* A lunar date: day 1-30, month 1-12, the year it belongs to, leap month. */
typedef struct TthcLunarDate
{
	int			day;
	int			month;
	int			year;
	bool		leap;
} TthcLunarDate;

/* Julian day number of a proleptic Gregorian date, and back. */
extern long tthc_jdn_from_civil(int year, int month, int day);
extern void tthc_civil_from_jdn(long jdn, int *year, int *month, int *day);

/* The lunar date of a Gregorian (solar) date. */
extern TthcLunarDate tthc_solar_to_lunar(int year, int month, int day);

/*
 * The Gregorian date of a lunar date, as a Julian day number; returns false
 * when the date does not exist (a leap month the year does not have, or a
 * day past the month's end).
 */
extern bool tthc_lunar_to_jdn(TthcLunarDate ld, long *jdn);

#endif							/* TTHC_LUNAR_H */
