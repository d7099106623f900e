/*
 * sync.h
 *		The DVCQG sync payloads: the dossier message (DongBoHoSoMC) and the
 *		progress message (CapNhatTienDoHoSoMC), parsed into the fields of
 *		tthc.dossier and tthc.dossier_step (SPEC §4).
 *
 * Pure C, no PostgreSQL header.  A message is one JSON object or an array
 * of them.  tthc_sync_parse checks the document as a whole (its size, its
 * nesting, its JSON syntax) and keeps the cJSON tree; tthc_sync_dossier
 * and tthc_sync_step then convert one element each, so that one bad
 * element of a batch gets its own error (with the path "$[3]...") while
 * the others still convert.  Converting allocates nothing: the results are
 * flat structs that need no freeing.  tthc_sync_free releases the tree.
 *
 * Every error has a category, which the glue maps to a SQLSTATE
 * (tthc_sync_error_sqlstate suggests one), and a message that starts with
 * the JSONPath of the member at fault:
 *		$[0].TrangThaiHoSo: 11 is not a status (1-10)
 *		$.NgayTiepNhan: "20261332090000" is not a date (yyyyMMddHHmmss): month 13
 *		$: missing MaHoSo
 * docs/sync.md lists the members, their columns, the codes, the limits and
 * the messages.
 *
 * Instants are local microseconds (calendar.h): the message's dates are
 * civil times of Asia/Ho_Chi_Minh, which is what the core counts in.
 * TTHC_NO_TIME stands for a date that is absent, null or "".
 */
#ifndef TTHC_SYNC_H
#define TTHC_SYNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dossier.h"			/* TTHC_NO_TIME, TthcDossierIn */

/* Limits of a document. */
#define TTHC_SYNC_MAX_BYTES		(16 * 1024 * 1024)	/* 16 MiB */
#define TTHC_SYNC_MAX_DEPTH		64		/* nested arrays and objects */
#define TTHC_SYNC_MAX_VALUES	1000000 /* JSON values in all */
#define TTHC_SYNC_MAX_ELEMENTS	100000	/* in the message or one of its lists */

/* Lengths of the text fields, in bytes (UTF-8), without the NUL. */
#define TTHC_SYNC_CODE_LEN		100		/* MaHoSo: tthc.dossier.code */
#define TTHC_SYNC_ID_LEN		64		/* MaTTHC: tthc.procedure.code */
#define TTHC_SYNC_NAME_LEN		200		/* DonViXuLy, PhongBanXuLy, NguoiXuLy */

/* Years a date may have: those of the holiday rules. */
#define TTHC_SYNC_MIN_YEAR		1900
#define TTHC_SYNC_MAX_YEAR		2199

/*
 * What went wrong, for the glue to choose a SQLSTATE.  TTHC_SYNC_OK is 0,
 * so that "if (e)" reads "if it failed".
 */
typedef enum TthcSyncError
{
	TTHC_SYNC_OK = 0,
	TTHC_SYNC_E_SYNTAX,			/* not JSON, content after it, \u0000 */
	TTHC_SYNC_E_TOO_BIG,		/* bytes, values or elements over a limit */
	TTHC_SYNC_E_TOO_DEEP,		/* nested deeper than TTHC_SYNC_MAX_DEPTH */
	TTHC_SYNC_E_MISSING,		/* a required member absent, null or "" */
	TTHC_SYNC_E_TYPE,			/* a member of the wrong JSON type */
	TTHC_SYNC_E_DUPLICATE,		/* a member given twice in one object */
	TTHC_SYNC_E_CODE,			/* a code or flag outside its list */
	TTHC_SYNC_E_DATE,			/* not yyyyMMddHHmmss, or no such time */
	TTHC_SYNC_E_RANGE,			/* a number outside its range (fees) */
	TTHC_SYNC_E_TEXT,			/* a text too long, or with bad characters */
	TTHC_SYNC_E_RULE,			/* dates out of order (SPEC §5) */
	TTHC_SYNC_E_USAGE			/* the caller's fault: no buffer, bad index */
} TthcSyncError;

#define TTHC_SYNC_NERRORS (TTHC_SYNC_E_USAGE + 1)

/* "syntax", "too_big", ...: a short name for logs and the inbox. */
extern const char *tthc_sync_error_name(TthcSyncError e);

/* The SQLSTATE we suggest for a category, as five characters. */
extern const char *tthc_sync_error_sqlstate(TthcSyncError e);

/* A parsed message.  Zero it, or let tthc_sync_parse fill it. */
typedef struct TthcSyncMessage
{
	void	   *root;			/* the cJSON tree (opaque) */
	void	  **items;			/* its elements, count of them */
	int			count;
	bool		is_array;		/* element paths are "$[i]", else "$" */
} TthcSyncMessage;

/*
 * Parse json[0..len) (no NUL needed after it) into msg.  Checks the size,
 * the nesting and the number of values before cJSON allocates anything,
 * then the syntax, then that the document is an object or an array of at
 * most TTHC_SYNC_MAX_ELEMENTS elements.  The elements themselves are
 * checked by the conversions.  On error msg is left empty (nothing to
 * free, though tthc_sync_free is harmless) and err holds the message.
 */
extern TthcSyncError tthc_sync_parse(const char *json, size_t len,
									 TthcSyncMessage *msg,
									 char *err, int errsize);

/* The number of elements: 1 for an object, the length of an array. */
extern int	tthc_sync_count(const TthcSyncMessage *msg);

typedef enum TthcSyncKind
{
	TTHC_SYNC_KIND_UNKNOWN = 0,
	TTHC_SYNC_KIND_DOSSIER,		/* has TrangThaiHoSo or MaTTHC */
	TTHC_SYNC_KIND_PROGRESS		/* else has TrangThai or ThoiDiemXuLy */
} TthcSyncKind;

/* Which message element i looks like, for a glue that takes both. */
extern TthcSyncKind tthc_sync_kind(const TthcSyncMessage *msg, int i);

/* One dossier of a DongBoHoSoMC message (docs/sync.md has the details). */
typedef struct TthcSyncDossier
{
	char		code[TTHC_SYNC_CODE_LEN + 1];	/* MaHoSo: 1-100 bytes, no
												 * space or control */
	char		procedure_code[TTHC_SYNC_ID_LEN + 1];	/* MaTTHC, in the
														 * format of
														 * tthc.procedure.code */
	char		agency[TTHC_SYNC_NAME_LEN + 1]; /* DonViXuLy as sent: an
												 * agency id or name */
	int			status;			/* TrangThaiHoSo 1-10 */
	int			channel;		/* KenhThucHien 1-3; absent: 1 */

	/* the columns' instants, TTHC_NO_TIME when NULL */
	int64_t		submitted;		/* NgayNopHoSo */
	int64_t		received;		/* NgayTiepNhan */
	int64_t		due;			/* the original due date: see due_source */
	int64_t		finished;		/* NgayKetThucXuLy, status 9 or 10 */
	int64_t		returned;		/* NgayTra, status 10 */
	int64_t		ended;			/* refusal, withdrawal, stop (3, 7, 8) */

	int			supplement_requests;	/* DanhSachHoSoBoSung entries */
	int64_t		supplement_requested;	/* the latest NgayBoSung */
	int64_t		supplement_received;	/* its NgayTiepNhanBoSung */

	int64_t		fee;			/* sum of DanhSachLePhi[].Gia, whole dong */
	bool		fee_given;		/* DanhSachLePhi has at least one entry */
	int			paid_online;	/* DuocThanhToanTrucTuyen 0, 1, 2 */
	bool		e_result;		/* a DanhSachGiayToKetQua file */
	bool		digitized;		/* HoSoCoThanhPhanSoHoa or any DuocSoHoa */
	bool		reused_data;	/* any DuocTaiSuDung (1 or 2) */
	bool		personal_store; /* any DuocLayTuKhoDMQG */
	bool		population_db;	/* TaiKhoanDuocXacThucVoiVNeID */

	/* the message's own dates, as sent, whatever the status */
	int64_t		due_given;		/* NgayHenTra */
	int64_t		due_latest;		/* the latest NgayHenTraMoi (an apology's
								 * new date) */
	int64_t		processing_ended;	/* NgayKetThucXuLy */
	int64_t		returned_given; /* NgayTra */
	int64_t		refused;		/* NgayTuChoi */
	int			attachments;	/* TaiLieuNop entries not deleted */
	int			results;		/* DanhSachGiayToKetQua entries with a file */
	int			fees;			/* DanhSachLePhi entries */
} TthcSyncDossier;

/*
 * Convert element i of a dossier message into out.  Checks every member
 * it reads, then the row as the dossier trigger would
 * (tthc_dossier_check), so that the message names the member at fault.
 * Unknown members are ignored.
 */
extern TthcSyncError tthc_sync_dossier(const TthcSyncMessage *msg, int i,
									   TthcSyncDossier *out,
									   char *err, int errsize);

/*
 * The dossier's fields as the classifier takes them: synced, rating,
 * e_certified_copy and has_feedback are not in the message and are left
 * TTHC_NO_TIME, 0 and false (the glue keeps the row's own values).
 */
extern void tthc_sync_dossier_in(const TthcSyncDossier *d, TthcDossierIn *in);

/*
 * One entry of a CapNhatTienDoHoSoMC message: a step of the dossier's
 * handling (tthc.dossier_step; the glue numbers them).
 */
typedef struct TthcSyncStep
{
	char		dossier_code[TTHC_SYNC_CODE_LEN + 1];	/* MaHoSo */
	char		agency[TTHC_SYNC_NAME_LEN + 1]; /* PhongBanXuLy, else
												 * DonViXuLy; "" when
												 * neither */
	char		officer[TTHC_SYNC_NAME_LEN + 1];	/* NguoiXuLy, "" when
													 * absent */
	int			status;			/* TrangThai 1-10 */
	int64_t		at;				/* ThoiDiemXuLy: the step's end */
	int64_t		started;		/* NgayBatDau, else ThoiDiemXuLy */
	int64_t		deadline;		/* NgayKetThucTheoQuyDinh, or TTHC_NO_TIME */
} TthcSyncStep;

/*
 * Convert element i of a progress message into out, and check it as the
 * step table does (tthc_step_check).
 */
extern TthcSyncError tthc_sync_step(const TthcSyncMessage *msg, int i,
									TthcSyncStep *out,
									char *err, int errsize);

/* Release the tree; msg is left empty.  Harmless on an empty message. */
extern void tthc_sync_free(TthcSyncMessage *msg);

/* Parse a yyyyMMddHHmmss civil time into a local instant; false if not. */
extern bool tthc_sync_parse_time(const char *s, size_t len, int64_t *t);

/* Write a local instant as yyyyMMddHHmmss (buf of at least 15 bytes). */
extern void tthc_sync_format_time(int64_t t, char *buf);

#endif							/* TTHC_SYNC_H */
