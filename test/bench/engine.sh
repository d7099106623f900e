#!/usr/bin/env bash
# test/bench/engine.sh: the write path of the engine against the same table
# without tthc's triggers, in one run (called by scripts/bench.sh, which
# provides a running cluster and PG* variables).
#
#   1. pgbench, 32 clients inserting dossiers of 3 agencies: tthc.dossier,
#      the plain table, and the naive baseline (a PL/pgSQL trigger upserting
#      one counter row per agency and month);
#   2. pgbench, 32 clients moving dossiers between status 4 and 9;
#   3. COPY of TTHC_BENCH_COPY_ROWS (1,000,000) dossiers, with the backend's
#      peak memory.
# Settings: TTHC_BENCH_SECONDS (15), TTHC_BENCH_CLIENTS (32).
set -euo pipefail
cd "$(dirname "$0")/../.."

secs=${TTHC_BENCH_SECONDS:-15}
clients=${TTHC_BENCH_CLIENTS:-32}
copy_rows=${TTHC_BENCH_COPY_ROWS:-1000000}
work=$(mktemp -d /tmp/tthc-bench.XXXXXX)
chmod 755 "$work"
q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

q >/dev/null <<'SQL'
SET client_min_messages = warning;
INSERT INTO tthc.agency VALUES ('BH', NULL, 'Tỉnh thử', 'province'),
    ('BH.1', 'BH', 'Xã 1', 'commune'), ('BH.2', 'BH', 'Xã 2', 'commune'), ('BH.3', 'BH', 'Xã 3', 'commune')
    ON CONFLICT DO NOTHING;
INSERT INTO tthc.procedure (code, name, time_limit) VALUES ('BP', 'Thủ tục thử', 3) ON CONFLICT DO NOTHING;
DROP SCHEMA IF EXISTS bench CASCADE;
CREATE SCHEMA bench;
-- the same table, indexes, constraints and foreign keys, without tthc's triggers
CREATE TABLE bench.plain (LIKE tthc.dossier INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES);
ALTER TABLE bench.plain ADD FOREIGN KEY (agency_id) REFERENCES tthc.agency (id),
                        ADD FOREIGN KEY (procedure_code) REFERENCES tthc.procedure (code);
CREATE TABLE bench.naive (LIKE bench.plain INCLUDING ALL);
ALTER TABLE bench.naive ADD FOREIGN KEY (agency_id) REFERENCES tthc.agency (id),
                        ADD FOREIGN KEY (procedure_code) REFERENCES tthc.procedure (code);
-- the naive way: one counter row per (agency, month), updated by every writer
CREATE TABLE bench.naive_counts (agency_id text, month date, received bigint, finished bigint,
                                 PRIMARY KEY (agency_id, month));
CREATE FUNCTION bench.naive_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        INSERT INTO bench.naive_counts VALUES (OLD.agency_id, date_trunc('month', OLD.received_at), -1,
                                               -(OLD.status = 9)::int)
        ON CONFLICT (agency_id, month) DO UPDATE
           SET received = naive_counts.received + EXCLUDED.received,
               finished = naive_counts.finished + EXCLUDED.finished;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO bench.naive_counts VALUES (NEW.agency_id, date_trunc('month', NEW.received_at), 1,
                                               (NEW.status = 9)::int)
        ON CONFLICT (agency_id, month) DO UPDATE
           SET received = naive_counts.received + EXCLUDED.received,
               finished = naive_counts.finished + EXCLUDED.finished;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER naive_count AFTER INSERT OR UPDATE OR DELETE ON bench.naive
    FOR EACH ROW EXECUTE FUNCTION bench.naive_count();
SQL

tps() {  # tps SCRIPT: throughput of one pgbench run
  pgbench -n -c "$clients" -j 2 -T "$secs" -f "$1" 2>&1 | sed -n 's/^tps = \([0-9.]*\).*/\1/p' | head -1
}
median3() { printf '%s\n' "$@" | sort -g | sed -n 2p; }
# three rounds, the tables taking turns, so that drift on a shared machine
# falls on all of them alike; prints the median of each: tthc plain naive
rounds() {  # rounds KIND
  local a=() b=() c=()
  for r in 1 2 3; do
    a+=("$(tps "$work/$1-dossier.sql")")
    b+=("$(tps "$work/$1-plain.sql")")
    c+=("$(tps "$work/$1-naive.sql")")
  done
  echo "$(median3 "${a[@]}") $(median3 "${b[@]}") $(median3 "${c[@]}")"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

for t in tthc.dossier bench.plain bench.naive; do
  printf '%s\n' '\set a random(1, 3)' \
    "INSERT INTO $t (code, agency_id, procedure_code, status, channel, received_at)" \
    "VALUES (gen_random_uuid()::text, 'BH.' || :a, 'BP', 2, 2, now());" > "$work/insert-${t#*.}.sql"
done
echo "inserting: $clients clients, dossiers of 3 agencies; median of 3 rounds of ${secs}s"
read -r ins_tthc ins_plain ins_naive < <(rounds insert)
printf '  %-44s %10s tps\n' "plain table (no triggers)" "$ins_plain"
printf '  %-44s %10s tps  ratio %s (target >= 0.85)\n' "tthc.dossier (tallies)" "$ins_tthc" "$(ratio "$ins_tthc" "$ins_plain")"
printf '  %-44s %10s tps  ratio %s\n' "naive: PL/pgSQL upsert per (agency, month)" "$ins_naive" "$(ratio "$ins_naive" "$ins_plain")"

# moving dossiers between status 4 and 9 (every update changes what they count for)
for t in tthc.dossier bench.plain bench.naive; do
  q -c "INSERT INTO $t (code, agency_id, procedure_code, status, received_at)
        SELECT 'u-' || i, 'BH.' || (1 + i % 3), 'BP', 4, now() - interval '1 day'
          FROM generate_series(1, 30000) i" >/dev/null
  printf '%s\n' '\set i random(1, 30000)' \
    "UPDATE $t SET status = CASE status WHEN 4 THEN 9 ELSE 4 END," \
    "  finished_at = CASE status WHEN 4 THEN received_at + interval '1 hour' END" \
    " WHERE code = 'u-' || :i;" > "$work/update-${t#*.}.sql"
done
# the insert phase leaves autovacuum work (hundreds of thousands of new
# rows in each table and in the tally log) that would fall on whichever
# table's round runs first: do it now, for all, with the compaction a
# scheduled tthc.compact() would have done by then
q -c "SELECT tthc.compact()" -c "VACUUM ANALYZE tthc.dossier, tthc.tally, tthc.tally_log, bench.plain, bench.naive, bench.naive_counts" -c "CHECKPOINT" >/dev/null
echo "updating 4 <-> 9: $clients clients, 30,000 dossiers of 3 agencies; median of 3 rounds of ${secs}s"
read -r upd_tthc upd_plain upd_naive < <(rounds update)
printf '  %-44s %10s tps\n' "plain table (no triggers)" "$upd_plain"
printf '  %-44s %10s tps  ratio %s (target >= 0.85)\n' "tthc.dossier (tallies)" "$upd_tthc" "$(ratio "$upd_tthc" "$upd_plain")"
printf '  %-44s %10s tps  ratio %s\n' "naive: PL/pgSQL upsert per (agency, month)" "$upd_naive" "$(ratio "$upd_naive" "$upd_plain")"

# COPY, with the backend's peak resident memory (VmHWM; includes the shared
# buffers it touched, alike for both)
q -c "\\copy (SELECT 'c-' || i, 'BH.' || (1 + i % 3), 'BP', 1 + i % 3, CASE WHEN i % 4 = 0 THEN 4 ELSE 9 END,
               t - interval '10 minutes', t,
               CASE WHEN i % 4 = 0 THEN NULL ELSE t + (i % 90) * interval '1 hour' END
          FROM generate_series(1, $copy_rows) i,
               LATERAL (SELECT timestamptz '2026-01-05 07:30+07' + (i % 300) * interval '1 day'
                               + (i % 480) * interval '1 minute' AS t) x)
     TO '$work/dossiers.csv' (FORMAT csv)" >/dev/null
chmod 644 "$work/dossiers.csv"
copy_into() {  # copy_into TABLE: prints seconds and the backend's peak kB
  {
    echo "SELECT clock_timestamp() AS t0 \\gset"
    echo "COPY $1 (code, agency_id, procedure_code, channel, status, submitted_at, received_at, finished_at) FROM '$work/dossiers.csv' (FORMAT csv);"
    echo "SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 2),"
    echo "       (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\\s+(\\d+)'))[1];"
  } | q -t -A -F ' '
}
echo "COPY of $copy_rows dossiers"
read -r cp_plain rss_plain < <(copy_into bench.plain)
read -r cp_tthc rss_tthc < <(copy_into tthc.dossier)
printf '  %-44s %8ss  peak RSS %7s kB\n' "plain table (no triggers)" "$cp_plain" "$rss_plain"
printf '  %-44s %8ss  peak RSS %7s kB  time ratio %s (target <= 1.5)\n' "tthc.dossier (tallies)" "$cp_tthc" "$rss_tthc" "$(ratio "$cp_tthc" "$cp_plain")"
q -t -A -c "SELECT '  tallies consistent after the runs: ' || CASE WHEN count(*) = 0 THEN 'yes' ELSE 'NO, ' || count(*) || ' differences' END FROM tthc.verify()"
rm -rf "$work"
