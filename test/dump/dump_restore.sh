#!/usr/bin/env bash
# test/dump/dump_restore.sh: pg_dump of a database with tthc, restored into a
# fresh database, keeps the catalogue and every edit of the calendar (rule
# holidays renamed, moved, deleted, replaced; make-up days; working hours;
# years beyond 2015-2035), the facts, the index sets a DBA loaded, and so the
# same scores, publications, and the yearly indices (SIPAS, PAR INDEX, one-stop).  Prints TAP; needs PGHOST/PGPORT/PGUSER.
set -uo pipefail

src=tthc_dump_src
dst=tthc_dump_dst
n=0
fail=0
check() {  # check DESCRIPTION QUERY
  n=$((n + 1))
  local a b
  a=$(psql -X -At -d "$src" -c "$2" 2>&1)
  b=$(psql -X -At -d "$dst" -c "$2" 2>&1)
  if [ "$a" = "$b" ] && [ -n "$a" ]; then echo "ok $n - $1"
  else echo "not ok $n - $1"; echo "#   source: $a"; echo "#   restored: $b"; fail=$((fail + 1)); fi
}

for d in $src $dst; do
  psql -q -X -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1
  psql -q -X -v ON_ERROR_STOP=1 -c "CREATE DATABASE $d" >/dev/null
done
psql -q -X -v ON_ERROR_STOP=1 -d $src >/dev/null <<'SQL'
CREATE EXTENSION tthc;
INSERT INTO tthc.agency VALUES ('H26', NULL, 'Thành phố Hà Nội', 'province'),
                               ('H26.X001', 'H26', 'Phường Ba Đình', 'commune');
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('1.001193', 'Đăng ký khai sinh', 1);
INSERT INTO tthc.service VALUES ('H26.X001', '1.001193', 'full');
INSERT INTO tthc.announcement (agency_id, procedure_code, kind, decided_on) VALUES ('H26', '1.001193', 'new', '2026-01-05');
INSERT INTO tthc.reported_volume VALUES ('H26', '2026-10-01', 1234);
INSERT INTO tthc.dossier (code, agency_id, procedure_code, status, channel, received_at, finished_at, rating)
SELECT 'H26-261001-' || i, 'H26.X001', '1.001193', CASE WHEN i % 3 = 0 THEN 9 ELSE 4 END, 1 + i % 3,
       timestamptz '2026-10-01 08:00+07' + i * interval '37 minutes',
       CASE WHEN i % 3 = 0 THEN timestamptz '2026-10-01 08:00+07' + i * interval '61 minutes' END,
       CASE WHEN i % 5 = 0 THEN -1 END
  FROM generate_series(1, 200) i;
INSERT INTO tthc.dossier_step VALUES ('H26-261001-1', 1, 'H26', 'Nguyễn Văn A', '2026-10-01 09:00+07', '2026-10-02 09:00+07', NULL);
INSERT INTO tthc.feedback (id, agency_id, received_at, category, dossier_code) VALUES ('PAKN-1', 'H26', '2026-10-05 10:00+07', 'staff', 'H26-261001-2');
INSERT INTO tthc.holiday (day, name) VALUES ('2026-02-23', 'Nghỉ Tết thêm');
INSERT INTO tthc.holiday (day, name) VALUES ('2026-02-17', 'Tết (thay bằng tay)');
UPDATE tthc.holiday SET day = '2026-09-03' WHERE day = '2026-09-01';
UPDATE tthc.holiday SET name = 'Quốc tế Lao động' WHERE day = '2026-05-01';
DELETE FROM tthc.holiday WHERE day = '2026-01-01';
INSERT INTO tthc.workday VALUES ('2026-02-28', 'Làm bù');
UPDATE tthc.calendar_setting SET afternoon_end = '16:30';
SELECT tthc.fill_calendar(2036, 2037);
DELETE FROM tthc.holiday WHERE day = '2036-01-01';
SELECT tthc.load_index_set(jsonb_set((SELECT document FROM tthc.index_set WHERE id = '766'), '{id}', '"tinh-2027"')::json);
SELECT tthc.publish('Tháng 10/2026', '2026-10-01', '2026-10-31', '766', '2026-11-15 10:00+07');
-- yearly indices: a SIPAS wave, a PAR INDEX tree and points, ratings, bands
INSERT INTO tthc.sipas_scale VALUES ('likert5', 'Likert', 1, 5, 4, NULL);
INSERT INTO tthc.sipas_wave VALUES ('SIPAS2026', 2026, 'SIPAS 2026');
INSERT INTO tthc.sipas_questionnaire VALUES ('Q2026', 'SIPAS2026', NULL, 'Phiếu 2026');
INSERT INTO tthc.sipas_question VALUES ('Q2026', 'A1', 'access', 'satisfaction', 'likert5', 'Tiếp cận?'),
                                       ('Q2026', 'F1', 'feedback', 'satisfaction', 'likert5', 'Phản ánh?');
INSERT INTO tthc.sipas_respondent (questionnaire_id, agency_id, kind) SELECT 'Q2026', 'H26', 'citizen' FROM generate_series(1, 20);
INSERT INTO tthc.sipas_answer SELECT r.id, q, 1 + (r.id * 7 + length(q)) % 5 FROM tthc.sipas_respondent r, unnest('{A1,F1}'::text[]) q;
SELECT tthc.load_par_framework('{"year": 2026, "kind": "province", "areas": [{"code": "I", "name": "Chỉ đạo", "criteria": [{"code": "I.1", "name": "Kế hoạch", "max_points": 3, "method": "appraisal"}, {"code": "I.2", "name": "Khảo sát", "max_points": 2, "method": "survey"}]}]}');
SELECT tthc.load_par_points('{"year": 2026, "kind": "province", "points": [{"agency": "H26", "criterion": "I.1", "self_assessed": 3, "appraised": 2.5}, {"agency": "H26", "criterion": "I.2", "survey": 1.75}]}');
INSERT INTO tthc.onestop_rating (dossier_code, criterion, points, rated_by)
SELECT code, c, (length(code) + c) % 3, 'kiểm tra' FROM tthc.dossier, generate_series(4, 8) c WHERE status = 9;
INSERT INTO tthc.onestop_band VALUES ('dat', 'dat', 'đạt', 9, true), ('dat', 'chua', 'chưa đạt', 0, true);
INSERT INTO tthc.inbox (payload) VALUES
    ('{"MaHoSo": "H26-SYNC-1", "MaTTHC": "1.001193", "DonViXuLy": "H26.X001", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261005090000"}'),
    ('{"MaHoSo": "H26-SYNC-2", "MaTTHC": "1.001193", "DonViXuLy": "H26.X999", "TrangThaiHoSo": "2", "NgayTiepNhan": "20261005090000"}'),
    ('not json');
SQL
pg_dump -d $src -f /tmp/tthc_dump_$$.sql 2>/dev/null
psql -q -X -d $dst -f /tmp/tthc_dump_$$.sql >/tmp/tthc_restore_$$.log 2>&1
n=$((n + 1))
if grep -q ERROR /tmp/tthc_restore_$$.log; then
  echo "not ok $n - the dump restores without error"; sed 's/^/#   /' /tmp/tthc_restore_$$.log | grep ERROR; fail=$((fail + 1))
else echo "ok $n - the dump restores without error"; fi
rm -f /tmp/tthc_dump_$$.sql /tmp/tthc_restore_$$.log

check "holidays are the same" "SELECT md5(string_agg(day || name || kind || source, ',' ORDER BY day)) FROM tthc.holiday"
check "remembered deletions are the same" "SELECT count(*) || ':' || coalesce(string_agg(day::text, ',' ORDER BY day), '') FROM tthc.holiday_removed"
check "make-up days are the same" "SELECT string_agg(day || name, ',' ORDER BY day) FROM tthc.workday"
check "working hours are the same" "SELECT row(s.*)::text FROM tthc.calendar_setting s"
check "calendar years are the same" "SELECT string_agg(year::text, ',' ORDER BY year) FROM tthc.calendar_year"
check "the working days of 2026 and 2036 are the same" "SELECT string_agg(d::date::text, ',') FROM generate_series(date '2026-01-01', date '2036-12-31', interval '1 day') d WHERE tthc.is_working_day(d::date)"
check "the catalogue is the same" "SELECT (SELECT string_agg(row(a.*)::text, ',' ORDER BY id) FROM tthc.agency a) || (SELECT string_agg(row(p.*)::text, ',') FROM tthc.procedure p) || (SELECT string_agg(row(s.*)::text, ',') FROM tthc.service s) || (SELECT string_agg(row(x.*)::text, ',') FROM tthc.announcement x) || (SELECT string_agg(row(v.*)::text, ',') FROM tthc.reported_volume v)"
check "dossiers, steps and feedback are the same" "SELECT md5(string_agg(row(d.*)::text, ',' ORDER BY code)) || (SELECT string_agg(row(s.*)::text, ',') FROM tthc.dossier_step s) || (SELECT string_agg(row(f.*)::text, ',') FROM tthc.feedback f) FROM tthc.dossier d"
check "the tallies read the same counters" "SELECT tthc.counters_of('H26', '2026-10-01', '2026-10-31', '2026-11-15 10:00+07')"
check "the restored tallies equal a recompute" "SELECT 'differences: ' || count(*) FROM tthc.verify()"
check "index sets are the same (the shipped one once, the DBA's kept)" "SELECT string_agg(id || shipped || md5(document::text), ',' ORDER BY id) FROM tthc.index_set"
check "scores are the same" "SELECT md5(string_agg(row(s.*)::text, ',' ORDER BY agency_id, criterion)) FROM tthc.scores_of(NULL, '2026-10-01', '2026-10-31', 'tinh-2027', '2026-11-15 10:00+07') s"
check "publications are the same" "SELECT string_agg(label || md5((tthc.publication_json(id) - 'generated_at')::text), ',' ORDER BY id) FROM tthc.publication"
check "SIPAS results are the same" "SELECT string_agg(row(r.*)::text, ',') FROM tthc.sipas_results('SIPAS2026') r"
check "PAR INDEX trees and results are the same" "SELECT (SELECT string_agg(row(c.*)::text, ',' ORDER BY code) FROM tthc.par_criterion c) || (SELECT string_agg(row(r.*)::text, ',') FROM tthc.par_results(2026, 'province') r)"
check "one-stop ratings and band sets are the same (the shipped set once)" "SELECT md5(string_agg(row(e.*)::text, ',')) || (SELECT string_agg(band_set || code, ',' ORDER BY band_set, code) FROM tthc.onestop_band) FROM tthc.onestop_evaluation('H26', '2026-10-01', '2026-10-31', 'unit', 'dat') e"
check "the inbox is the same: its messages are restored as they were, not applied again" "SELECT md5(string_agg(row(i.*)::text, ',' ORDER BY id)) FROM tthc.inbox i"
check "a due date is the same" "SELECT tthc.add_working_time('2026-02-13 10:00+07', 3)"

for d in $src $dst; do psql -q -X -c "DROP DATABASE IF EXISTS $d" >/dev/null 2>&1; done
echo "1..$n"
[ "$fail" -eq 0 ]
