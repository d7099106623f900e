-- The public SQL interface: schema, tables, columns, keys, functions and
-- their declared properties.  Acceptance checks and reporting tools rely on
-- these names (SPEC §3, §5).
BEGIN;
SELECT plan(85);

SELECT has_schema('tthc');
SELECT has_extension('tthc');

-- Catalogue tables and their keys
SELECT has_table('tthc', t, 'table tthc.' || t) FROM unnest(ARRAY[
    'agency', 'procedure', 'service', 'announcement', 'reported_volume',
    'holiday', 'workday', 'calendar_year', 'calendar_setting', 'holiday_removed',
    'dossier', 'dossier_step', 'feedback', 'tally', 'tally_log', 'index_set']) t;
SELECT columns_are('tthc', 'agency', ARRAY['id', 'parent_id', 'name', 'kind']);
SELECT col_is_pk('tthc', 'agency', 'id', 'agency.id is the primary key');
SELECT fk_ok('tthc', 'agency', 'parent_id', 'tthc', 'agency', 'id');
SELECT columns_are('tthc', 'procedure', ARRAY['code', 'name', 'sector', 'time_limit', 'time_unit',
    'fee_required', 'paper_result', 'full_online_eligible', 'for_citizens', 'is_certification',
    'parts_complete']);
SELECT col_is_pk('tthc', 'procedure', 'code', 'procedure.code is the primary key');
SELECT col_type_is('tthc', 'procedure', 'time_limit', 'numeric', 'procedure.time_limit is numeric');
SELECT col_default_is('tthc', 'procedure', 'time_unit', 'working_day'::text, 'time_unit defaults to working_day');
SELECT col_is_pk('tthc', 'service', ARRAY['agency_id', 'procedure_code']::name[], 'service is keyed by agency and procedure');
SELECT fk_ok('tthc', 'service', 'agency_id', 'tthc', 'agency', 'id');
SELECT fk_ok('tthc', 'service', 'procedure_code', 'tthc', 'procedure', 'code');
SELECT has_column('tthc', 'service', 'online_level', 'service.online_level');
SELECT has_column('tthc', 'announcement', c, 'announcement.' || c) FROM unnest(ARRAY[
    'id', 'agency_id', 'procedure_code', 'kind', 'decided_on', 'basis_effective_on', 'published_on']) c;
SELECT col_is_pk('tthc', 'reported_volume', ARRAY['agency_id', 'month']::name[], 'reported_volume is keyed by agency and month');
SELECT col_type_is('tthc', 'reported_volume', 'received', 'bigint', 'reported_volume.received is bigint');
SELECT col_is_pk('tthc', 'holiday', 'day', 'holiday.day is the primary key');
SELECT col_is_pk('tthc', 'workday', 'day', 'workday.day is the primary key');
SELECT col_not_null('tthc', 'holiday', 'name', 'a holiday has a name');

-- Facts (SPEC §4)
SELECT columns_are('tthc', 'dossier', ARRAY['code', 'agency_id', 'procedure_code', 'channel', 'status',
    'submitted_at', 'received_at', 'due_at', 'finished_at', 'returned_at', 'ended_at', 'synced_at',
    'supplement_requests', 'supplement_requested_at', 'supplement_received_at', 'fee', 'paid_online',
    'e_result', 'digitized', 'reused_data', 'personal_store', 'population_db', 'e_certified_copy', 'rating',
    'has_feedback']);
SELECT col_is_pk('tthc', 'dossier', 'code', 'dossier.code is the primary key');
SELECT fk_ok('tthc', 'dossier', 'agency_id', 'tthc', 'agency', 'id');
SELECT fk_ok('tthc', 'dossier', 'procedure_code', 'tthc', 'procedure', 'code');
SELECT col_is_pk('tthc', 'dossier_step', ARRAY['dossier_code', 'seq']::name[], 'a step is keyed by dossier and seq');
SELECT columns_are('tthc', 'feedback', ARRAY['id', 'agency_id', 'received_at', 'transferred_at', 'category',
    'refused_at', 'supplement_requested_at', 'handled_at', 'published_at', 'likes', 'dislikes',
    'raised_again', 'dossier_code']);
SELECT has_trigger('tthc', 'dossier', 'dossier_before_write', 'dossiers are validated by a trigger');

-- The counters type and its aggregate: a real state type with a combine function
SELECT has_type('tthc', 'counters', 'type tthc.counters');
SELECT is(
    (SELECT format('%s/%s/%s/%s', a.aggtranstype::regtype, a.aggcombinefn::regproc, p.proparallel, a.aggtransspace)
       FROM pg_aggregate a JOIN pg_proc p ON p.oid = a.aggfnoid
      WHERE a.aggfnoid = 'tthc.sum(tthc.counters)'::regprocedure),
    'tthc.counters/tthc.counters_accum/s/0',
    'tthc.sum has state type tthc.counters (not internal), a combine function, and is PARALLEL SAFE');
SELECT has_function('tthc', 'dossier_counters', ARRAY['tthc.dossier', 'timestamp with time zone']);
SELECT volatility_is('tthc', 'dossier_counters', ARRAY['tthc.dossier', 'timestamp with time zone'], 'stable');
SELECT ok(EXISTS (SELECT 1 FROM pg_operator
                   WHERE oprnamespace = 'tthc'::regnamespace AND oprname = '+'
                     AND oprleft = 'tthc.counters'::regtype AND oprright = 'tthc.counters'::regtype
                     AND oprresult = 'tthc.counters'::regtype), 'counters + counters');

-- Tallies and their escape hatches
SELECT has_function('tthc', 'counters_of', ARRAY['text', 'date', 'date', 'timestamp with time zone']);
SELECT has_function('tthc', 'verify', '{}'::name[]);
SELECT has_function('tthc', 'late_from', ARRAY['tthc.dossier']);
SELECT has_function('tthc', 'rebuild', '{}'::name[]);
SELECT has_function('tthc', 'compact', ARRAY['boolean']);
SELECT has_function('tthc', 'tally_read', ARRAY['text[]', 'date', 'date', 'timestamp with time zone']);
SELECT has_function('tthc', 'suspend_tallies', '{}'::name[]);
SELECT has_function('tthc', 'resume_tallies', '{}'::name[]);
SELECT is((SELECT array_agg(tgname::text ORDER BY tgname) FROM pg_trigger
            WHERE tgrelid = 'tthc.dossier'::regclass AND NOT tgisinternal),
          ARRAY['dossier_before_write', 'dossier_tally_delete', 'dossier_tally_insert',
                'dossier_tally_truncate', 'dossier_tally_update'],
          'the dossier table has its validation and tally triggers');
SELECT ok(NOT EXISTS (SELECT 1 FROM pg_extension x, unnest(x.extconfig) c
                       WHERE x.extname = 'tthc' AND c IN ('tthc.tally'::regclass, 'tthc.tally_log'::regclass)),
          'tallies are derived: pg_dump does not keep them (a restore rebuilds them)');

-- Functions, with their signatures
SELECT has_function('tthc', 'is_working_day', ARRAY['date']);
SELECT has_function('tthc', 'add_working_time', ARRAY['timestamp with time zone', 'numeric', 'text', 'boolean']);
SELECT has_function('tthc', 'working_days_between', ARRAY['timestamp with time zone', 'timestamp with time zone']);
SELECT has_function('tthc', 'due_date', ARRAY['timestamp with time zone', 'text']);
SELECT has_function('tthc', 'agency_subtree', ARRAY['text']);
SELECT has_function('tthc', 'agency_ancestors', ARRAY['text']);
SELECT has_function('tthc', 'rule_holidays', ARRAY['integer', 'integer']);
SELECT has_function('tthc', 'fill_calendar', ARRAY['integer', 'integer']);
SELECT has_view('tthc', 'agency_tree', 'view tthc.agency_tree');
SELECT function_returns('tthc', 'add_working_time', ARRAY['timestamp with time zone', 'numeric', 'text', 'boolean'],
                        'timestamp with time zone');
SELECT function_returns('tthc', 'working_days_between', ARRAY['timestamp with time zone', 'timestamp with time zone'],
                        'numeric');
SELECT function_lang_is('tthc', 'add_working_time', ARRAY['timestamp with time zone', 'numeric', 'text', 'boolean'], 'c');
SELECT function_lang_is('tthc', 'is_working_day', ARRAY['date'], 'c');

-- Declared properties: calendar reads are STABLE (the calendar is data),
-- computations on the lunar calendar IMMUTABLE; all PARALLEL SAFE
SELECT volatility_is('tthc', 'is_working_day', ARRAY['date'], 'stable');
SELECT volatility_is('tthc', 'add_working_time', ARRAY['timestamp with time zone', 'numeric', 'text', 'boolean'], 'stable');
SELECT volatility_is('tthc', 'rule_holidays', ARRAY['integer', 'integer'], 'immutable');
SELECT is_strict('tthc', 'is_working_day', ARRAY['date']);
SELECT isnt_strict('tthc', 'add_working_time', ARRAY['timestamp with time zone', 'numeric', 'text', 'boolean'],
                   'add_working_time is not strict: a NULL amount is an error, not NULL');
SELECT is(
    (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'tthc' AND p.prokind = 'f' AND p.prorettype <> 'trigger'::regtype
        AND p.provolatile <> 'v' AND p.proparallel <> 's'),
    0::bigint, 'every function that only reads is PARALLEL SAFE');

-- search_path safety: every SQL or PL/pgSQL function fixes its search_path
SELECT is(
    (SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text) FROM pg_proc p
       JOIN pg_namespace n ON n.oid = p.pronamespace
       JOIN pg_language l ON l.oid = p.prolang
      WHERE n.nspname = 'tthc' AND l.lanname IN ('sql', 'plpgsql')
        AND NOT EXISTS (SELECT 1 FROM unnest(p.proconfig) c WHERE c LIKE 'search_path=%')),
    NULL, 'every SQL and PL/pgSQL function of tthc sets its search_path');
SELECT is(
    (SELECT array_agg(p.oid::regprocedure::text ORDER BY p.oid::regprocedure::text) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname = 'tthc' AND p.prosecdef),
    ARRAY['tthc.compact(boolean)', 'tthc.dossier_codes_kept()', 'tthc.dossier_codes_renamed()', 'tthc.feedback_marks_dossiers()'],
    'SECURITY DEFINER only where docs/security.md says why');

-- Every object of the schema belongs to the extension
SELECT is(
    (SELECT array_agg(c.relname::text ORDER BY 1) FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'tthc' AND c.relkind IN ('r', 'v', 'S', 'p')
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                           AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e')),
    NULL, 'every table, view and sequence of tthc is a member of the extension');

SELECT * FROM finish();
ROLLBACK;
