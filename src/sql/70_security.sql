-- ---------------------------------------------------------------------------
-- Security (docs/security.md): three group roles the DBA creates with
-- tthc.create_roles(), logins mapped to agencies, and row-level security
-- so that a login reads and writes only its agencies' subtrees.
-- ---------------------------------------------------------------------------

-- Row-level security: a row is visible when its agency is.  (The policies
-- do not apply to the tables' owner, who installed the extension.)
CREATE FUNCTION tthc.agency_visible(agency text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT v IS NULL OR agency = ANY (v) FROM (SELECT tthc.visible_agencies() AS v) x
$$;
COMMENT ON FUNCTION tthc.agency_visible(text) IS 'May the current user see and write rows of this agency?';

ALTER TABLE tthc.dossier ENABLE ROW LEVEL SECURITY;
CREATE POLICY dossier_by_agency ON tthc.dossier
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))))
    WITH CHECK (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
ALTER TABLE tthc.feedback ENABLE ROW LEVEL SECURITY;
CREATE POLICY feedback_by_agency ON tthc.feedback
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))))
    WITH CHECK (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
-- a step is seen by its dossier's agencies and by the agency that handles it
ALTER TABLE tthc.dossier_step ENABLE ROW LEVEL SECURITY;
CREATE POLICY dossier_step_by_agency ON tthc.dossier_step
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[])))
           OR EXISTS (SELECT 1 FROM tthc.dossier d WHERE d.code = dossier_code))
    WITH CHECK (EXISTS (SELECT 1 FROM tthc.dossier d WHERE d.code = dossier_code));
ALTER TABLE tthc.tally ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_by_agency ON tthc.tally
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
ALTER TABLE tthc.tally_log ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_log_by_agency ON tthc.tally_log
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));
ALTER TABLE tthc.tally_agency ENABLE ROW LEVEL SECURITY;
CREATE POLICY tally_agency_by_agency ON tthc.tally_agency
    USING (((SELECT tthc.visible_agencies()) IS NULL OR agency_id = ANY (CAST((SELECT tthc.visible_agencies()) AS text[]))));

-- Create the three group roles (cluster-wide: never done silently) and
-- grant them what they may do.  Run by a role that may create roles.
--   tthc_reader: read everything of its logins' subtrees, scores, publications
--   tthc_writer: tthc_reader, and write dossiers, steps, feedback, the inbox
--   tthc_admin:  everything, the whole country
CREATE FUNCTION tthc.create_roles() RETURNS text
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    r text;
    -- what changes scores for everyone is the administrators' alone
    admin_only text[] := ARRAY['tthc.publish(text, date, date, text, timestamptz)', 'tthc.unpublish(bigint, text)',
                               'tthc.rebuild()', 'tthc.refresh_tallies(date, date)', 'tthc.load_index_set(json)',
                               'tthc.suspend_tallies()', 'tthc.resume_tallies()', 'tthc.retry()',
                               'tthc.check_alerts()', 'tthc.load_par_framework(jsonb)', 'tthc.load_par_points(jsonb)'];
BEGIN
    FOREACH r IN ARRAY ARRAY['tthc_reader', 'tthc_writer', 'tthc_admin'] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles x WHERE x.rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN', r);
        END IF;
    END LOOP;
    GRANT tthc_reader TO tthc_writer;
    GRANT tthc_writer TO tthc_admin;

    GRANT USAGE ON SCHEMA tthc TO tthc_reader;
    GRANT SELECT ON ALL TABLES IN SCHEMA tthc TO tthc_reader;
    -- (tthc.agency_login shows a login its own rows only)
    REVOKE SELECT ON tthc.alert, tthc.inbox FROM tthc_reader;
    GRANT INSERT, UPDATE, DELETE ON tthc.dossier, tthc.dossier_step, tthc.feedback, tthc.onestop_rating
        TO tthc_writer;
    GRANT SELECT, INSERT ON tthc.inbox TO tthc_writer;
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA tthc TO tthc_admin;
    GRANT USAGE ON ALL SEQUENCES IN SCHEMA tthc TO tthc_writer;
    FOREACH r IN ARRAY admin_only LOOP
        EXECUTE format('REVOKE EXECUTE ON FUNCTION %s FROM PUBLIC', r::regprocedure);
        EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO tthc_admin', r::regprocedure);
    END LOOP;
    -- dossiers partitioned by month are read and written through tthc.dossier
    -- alone, where row-level security applies and the triggers keep tallies
    -- and codes: never their partitions, nor tthc.dossier_code, directly
    FOR r IN SELECT i.inhrelid::regclass::text FROM pg_catalog.pg_inherits i
              WHERE i.inhparent = 'tthc.dossier'::regclass
             UNION ALL
             SELECT 'tthc.dossier_code' WHERE to_regclass('tthc.dossier_code') IS NOT NULL LOOP
        EXECUTE format('REVOKE ALL ON %s FROM tthc_reader, tthc_writer, tthc_admin', r);
    END LOOP;
    RETURN 'tthc_reader, tthc_writer, tthc_admin';
END
$$;
COMMENT ON FUNCTION tthc.create_roles() IS
    'Create the group roles tthc_reader, tthc_writer and tthc_admin (if missing) and grant them their privileges; then GRANT them to logins and map logins to agencies in tthc.agency_login';
