-- ---------------------------------------------------------------------------
-- Explanations and early warning (docs/scores.md): the rows behind a
-- criterion with the reason each one failed, an agency's criteria by points
-- lost, the open dossiers about to become late, and alerts on a channel.
-- ---------------------------------------------------------------------------

CREATE FUNCTION tthc.step_lateness(s tthc.dossier_step, "at" timestamptz DEFAULT now(),
                                   OUT late boolean, OUT working_days_late integer)
AS 'MODULE_PATHNAME', 'tthc_step_lateness_sql' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.step_lateness(tthc.dossier_step, timestamptz) IS
    'Is an inter-agency step late at instant at, and by how many working days (each started working day counts)';

CREATE FUNCTION tthc.late_days(d tthc.dossier, "at" timestamptz DEFAULT now(),
                               OUT late boolean, OUT working_days_late integer)
AS 'MODULE_PATHNAME', 'tthc_dossier_late_days' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.late_days(tthc.dossier, timestamptz) IS
    'Is a dossier late at instant at, and by how many working days (each started working day counts)';

CREATE FUNCTION tthc.late_limit(f tthc.feedback) RETURNS text
AS 'MODULE_PATHNAME', 'tthc_feedback_late_limit' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION tthc.late_limit(tthc.feedback) IS
    'The limit of criterion 5.1 that makes a feedback item late: refusal, supplement, handling or publication (NULL: none)';

CREATE FUNCTION tthc.announcement_status(ministry boolean, decided_on date, basis_effective_on date,
                                         published_on date, "from" date, "to" date) RETURNS integer
AS 'MODULE_PATHNAME', 'tthc_announcement_status' LANGUAGE C STABLE PARALLEL SAFE;
COMMENT ON FUNCTION tthc.announcement_status(boolean, date, date, date, date, date) IS
    'Bits of an announcement for criteria 1.1 and 1.2 over a period: 128 announced, 256 late, 512 due for publication, 1024 published late or not at all';

-- The step at fault for a dossier's delay: the late step with the most
-- working days late, the earliest among equals.
CREATE FUNCTION tthc.step_at_fault(dossier_code text, "at" timestamptz DEFAULT now(),
                                   OUT seq integer, OUT agency_id text, OUT officer text,
                                   OUT working_days_late integer)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.seq, s.agency_id, s.officer, l.working_days_late
      FROM tthc.dossier_step s, tthc.step_lateness(s, "at") l
     WHERE s.dossier_code = step_at_fault.dossier_code AND l.late
     ORDER BY l.working_days_late DESC, s.seq
     LIMIT 1
$$;
COMMENT ON FUNCTION tthc.step_at_fault(text, timestamptz) IS
    'The inter-agency step (and its agency and officer) a dossier''s delay is charged to: the late step with the most working days late';

-- The rows behind a criterion for an agency's subtree and a period: every
-- item of the denominator, whether the numerator counts it, and why not.
CREATE FUNCTION tthc.explain(agency text, criterion text, "from" date, "to" date,
                             index_set text DEFAULT '766', "at" timestamptz DEFAULT NULL)
RETURNS TABLE (item_kind text, item text, agency_id text, procedure_code text, counted boolean,
               reason text, working_days_late integer, fault_agency text, fault_step integer)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    m text;
    t timestamptz;
    sub text[];
    lo timestamptz := ("from"::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
    hi timestamptz := (("to" + 1)::timestamp AT TIME ZONE 'Asia/Ho_Chi_Minh');
BEGIN
    IF agency IS NULL OR criterion IS NULL OR "from" IS NULL OR "to" IS NULL THEN
        RAISE EXCEPTION 'agency, criterion, from and to must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF "from" > "to" THEN
        RAISE EXCEPTION 'from % is after to %', "from", "to" USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT c.metric INTO m FROM tthc.index_set_criteria(index_set) c WHERE c.criterion = explain.criterion;
    IF m IS NULL THEN
        RAISE EXCEPTION 'index set "%" has no criterion "%"', index_set, criterion
            USING ERRCODE = 'invalid_parameter_value', HINT = 'tthc.index_set_criteria(index_set) lists them.';
    END IF;
    t := coalesce("at", tthc.evaluation_time("to"));
    sub := ARRAY(SELECT s.id FROM tthc.agency_subtree(agency) s);

    IF m IN ('synced', 'not_late', 'handling_time', 'online_dossiers', 'paid_online', 'e_result', 'digitized',
             'e_certified_copy', 'reused_data', 'personal_store', 'population_db', 'satisfied') THEN
        RETURN QUERY
        SELECT 'dossier', d.code, d.agency_id, d.procedure_code, x.counted,
               CASE WHEN NOT x.counted OR m = 'handling_time' THEN x.reason END,
               CASE WHEN lm.late_matters THEN l.working_days_late END,
               CASE WHEN lm.late_matters THEN f.agency_id END, CASE WHEN lm.late_matters THEN f.seq END
          FROM tthc.dossier d
          JOIN tthc.procedure p ON p.code = d.procedure_code
         CROSS JOIN LATERAL (SELECT tthc.dossier_counters(d, t)::jsonb AS c) k
         CROSS JOIN LATERAL tthc.late_days(d, t) l
          LEFT JOIN LATERAL tthc.step_at_fault(d.code, t) f ON l.late
         CROSS JOIN LATERAL (SELECT l.late AND m IN ('not_late', 'satisfied') AS late_matters) lm
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'paid_online' THEN p.fee_required AND (k.c->>'with_fee')::int = 1
                             WHEN 'e_result' THEN p.paper_result
                             WHEN 'e_certified_copy' THEN p.is_certification
                             WHEN 'handling_time' THEN (k.c->>'finished')::int = 1
                             ELSE true END AS in_den,
                      CASE m WHEN 'synced' THEN (k.c->>'synced')::int = 1
                             WHEN 'not_late' THEN (k.c->>'late')::int = 0
                             WHEN 'handling_time' THEN true
                             WHEN 'online_dossiers' THEN (k.c->>CASE WHEN p.paper_result THEN 'online_e_result' ELSE 'online' END)::int = 1
                             WHEN 'paid_online' THEN (k.c->>'paid_online')::int = 1
                             WHEN 'e_result' THEN (k.c->>'e_result')::int = 1
                             WHEN 'digitized' THEN (k.c->>CASE WHEN p.paper_result THEN 'digitized_e_result' ELSE 'digitized' END)::int = 1
                             WHEN 'e_certified_copy' THEN (k.c->>'e_certified_copy')::int = 1
                             WHEN 'reused_data' THEN (k.c->>'reused_data')::int = 1
                             WHEN 'personal_store' THEN (k.c->>'personal_store')::int = 1
                             WHEN 'population_db' THEN (k.c->>'population_db')::int = 1
                             WHEN 'satisfied' THEN (k.c->>'late_or_unsatisfied')::int = 0 END AS counted,
                      CASE m WHEN 'synced' THEN 'not synced to the national portal'
                             WHEN 'not_late' THEN 'late by ' || l.working_days_late || ' working day(s)'
                                 || coalesce(', at step ' || f.seq || ' of ' || f.agency_id, '')
                             WHEN 'handling_time' THEN 'handled in '
                                 || round((k.c->>'work_usecs')::numeric
                                          / extract(epoch FROM (SELECT (s.morning_end - s.morning_start)
                                                                       + (s.afternoon_end - s.afternoon_start)
                                                                  FROM tthc.calendar_setting s)) / 1e6, 2)
                                 || ' working day(s)'
                             WHEN 'online_dossiers' THEN CASE WHEN (k.c->>'online')::int = 0
                                 THEN 'not received online' ELSE 'online, but no electronic result for a paper-result procedure' END
                             WHEN 'paid_online' THEN 'fee not paid online'
                             WHEN 'e_result' THEN 'no electronic result'
                             WHEN 'digitized' THEN CASE WHEN (k.c->>'digitized')::int = 0
                                 THEN 'components not digitised' ELSE 'digitised, but no electronic result' END
                             WHEN 'e_certified_copy' THEN 'no electronic certified copy issued'
                             WHEN 'reused_data' THEN 'no digitised component reused'
                             WHEN 'personal_store' THEN 'the personal data store was not used'
                             WHEN 'population_db' THEN 'not verified against the population database'
                             WHEN 'satisfied' THEN concat_ws('; ',
                                 CASE WHEN l.late THEN 'late by ' || l.working_days_late || ' working day(s)'
                                      || coalesce(', at step ' || f.seq || ' of ' || f.agency_id, '') END,
                                 CASE WHEN d.rating = -1 THEN 'rated unsatisfied' END,
                                 CASE WHEN d.has_feedback THEN 'feedback about it' END) END AS reason) x
         WHERE d.agency_id = ANY (sub) AND d.received_at >= lo AND d.received_at < hi
           AND (k.c->>'received')::int = 1 AND x.in_den
         ORDER BY x.counted, d.received_at, d.code;

    ELSIF m IN ('feedback_on_time', 'feedback_satisfied', 'feedback_by_category') THEN
        RETURN QUERY
        SELECT 'feedback', fb.id, fb.agency_id, NULL::text, x.counted, CASE WHEN NOT x.counted THEN x.reason END,
               NULL::integer, NULL::text, NULL::integer
          FROM tthc.feedback fb
         CROSS JOIN LATERAL (SELECT tthc.feedback_counters(fb, t)::jsonb AS c) k
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'feedback_on_time' THEN (k.c->>'fb_late')::int = 0
                             WHEN 'feedback_satisfied' THEN (k.c->>'fb_late_or_unsatisfied')::int = 0
                             ELSE fb.category IS NOT NULL END AS counted,
                      CASE m WHEN 'feedback_by_category' THEN 'no category'
                             ELSE concat_ws('; ',
                                 CASE WHEN (k.c->>'fb_late')::int = 1 THEN 'late: its ' || tthc.late_limit(fb) || ' limit passed' END,
                                 CASE WHEN m = 'feedback_satisfied' AND fb.dislikes > fb.likes THEN 'more dislikes than likes' END,
                                 CASE WHEN m = 'feedback_satisfied' AND fb.raised_again THEN 'raised again' END) END AS reason) x
         WHERE fb.agency_id = ANY (sub) AND fb.received_at >= lo AND fb.received_at < hi
           AND (k.c->>'fb_received')::int = 1
         ORDER BY x.counted, fb.received_at, fb.id;

    ELSIF m = 'online_services_used' THEN
        RETURN QUERY
        SELECT 'service', s.agency_id || ' ' || s.procedure_code, s.agency_id, s.procedure_code, u.used,
               CASE WHEN NOT u.used THEN 'offered online (' || s.online_level || '), but no online dossier in the period' END,
               NULL::integer, NULL::text, NULL::integer
          FROM tthc.service s
         CROSS JOIN LATERAL (
               SELECT EXISTS (SELECT 1 FROM tthc.dossier d
                               WHERE d.agency_id = s.agency_id AND d.procedure_code = s.procedure_code
                                 AND d.received_at >= lo AND d.received_at < hi AND d.channel = 2
                                 AND d.status <> 1) AS used) u
         WHERE s.agency_id = ANY (sub) AND s.online_level IS NOT NULL
         ORDER BY u.used, s.agency_id, s.procedure_code;

    ELSIF m IN ('offered_online', 'published_complete', 'fee_procedures_synced', 'fee_procedures_paid_online',
                'population_db_procedures') THEN
        RETURN QUERY
        WITH comp AS (
            SELECT s.procedure_code, bool_or(s.online_level IS NOT NULL) AS online
              FROM tthc.service s WHERE s.agency_id = ANY (sub) GROUP BY 1),
        dos AS (
            SELECT d.procedure_code,
                   bool_or(d.synced_at IS NOT NULL AND d.fee > 0) AS synced_fee,
                   bool_or(d.fee > 0 AND d.paid_online IN (1, 2)) AS paid_online,
                   bool_or(d.population_db) AS population_db
              FROM tthc.dossier d
             WHERE d.agency_id = ANY (sub) AND d.received_at >= lo AND d.received_at < hi AND d.status <> 1
             GROUP BY 1),
        known AS (
            SELECT p.*, c.procedure_code IS NOT NULL AS in_competence, coalesce(c.online, false) AS online,
                   o.procedure_code IS NOT NULL AS has_dossiers, coalesce(o.synced_fee, false) AS synced_fee,
                   coalesce(o.paid_online, false) AS paid, coalesce(o.population_db, false) AS popdb
              FROM tthc.procedure p
              LEFT JOIN comp c ON c.procedure_code = p.code
              LEFT JOIN dos o ON o.procedure_code = p.code
             WHERE c.procedure_code IS NOT NULL OR o.procedure_code IS NOT NULL)
        SELECT 'procedure', k.code, NULL::text, k.code, x.counted, CASE WHEN NOT x.counted THEN x.reason END,
               NULL::integer, NULL::text, NULL::integer
          FROM known k
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'offered_online' THEN k.in_competence
                             WHEN 'published_complete' THEN k.in_competence
                             WHEN 'fee_procedures_synced' THEN k.fee_required
                             WHEN 'fee_procedures_paid_online' THEN k.fee_required AND k.has_dossiers
                             ELSE k.for_citizens END AS in_den,
                      CASE m WHEN 'offered_online' THEN k.online
                             WHEN 'published_complete' THEN k.parts_complete
                             WHEN 'fee_procedures_synced' THEN k.synced_fee
                             WHEN 'fee_procedures_paid_online' THEN k.paid
                             ELSE k.popdb END AS counted,
                      CASE m WHEN 'offered_online' THEN 'not offered online by any unit'
                             WHEN 'published_complete' THEN 'its public record lacks some of the 7 parts'
                             WHEN 'fee_procedures_synced' THEN 'no dossier synced with fee data in the period'
                             WHEN 'fee_procedures_paid_online' THEN 'no dossier paid online in the period'
                             ELSE 'no dossier verified against the population database in the period' END AS reason) x
         WHERE x.in_den
         ORDER BY x.counted, k.code;

    ELSIF m IN ('announced_on_time', 'published_on_time') THEN
        RETURN QUERY
        SELECT 'announcement', a.id::text, a.agency_id, a.procedure_code, x.counted,
               CASE WHEN NOT x.counted THEN x.reason END, NULL::integer, NULL::text, NULL::integer
          FROM tthc.announcement a
         CROSS JOIN LATERAL (
               SELECT tthc.announcement_status(
                          (SELECT t2.kind = 'ministry' FROM tthc.agency_ancestors(a.agency_id) t2
                            ORDER BY t2.depth DESC LIMIT 1),
                          a.decided_on, a.basis_effective_on, a.published_on, "from", "to") AS bits) b
         CROSS JOIN LATERAL (
               SELECT CASE m WHEN 'announced_on_time' THEN b.bits & 128 <> 0 ELSE b.bits & 512 <> 0 END AS in_den,
                      CASE m WHEN 'announced_on_time' THEN b.bits & 256 = 0 ELSE b.bits & 1024 = 0 END AS counted,
                      CASE m WHEN 'announced_on_time' THEN 'announced too close to the day its legal basis takes effect'
                             WHEN 'published_on_time' THEN CASE WHEN a.published_on IS NULL OR a.published_on > "to"
                                 THEN 'not published on the national database' ELSE 'published late on the national database' END
                      END AS reason) x
         WHERE a.agency_id = ANY (sub) AND a.decided_on <= "to" AND x.in_den
         ORDER BY x.counted, a.decided_on, a.id;

    ELSE
        -- synced (1.4) is explained dossier by dossier above; nothing else is left
        RAISE EXCEPTION 'no explanation for metric "%"', m USING ERRCODE = 'feature_not_supported';
    END IF;
END
$$;
COMMENT ON FUNCTION tthc.explain(text, text, date, date, text, timestamptz) IS
    'The dossiers, feedback items, services, procedures or announcements behind a criterion for an agency''s subtree and a period, whether each counts, and why not';

-- An agency's criteria ordered by the points they lose: its weaknesses
-- first, its strengths last.
CREATE FUNCTION tthc.strengths(agency text, "from" date, "to" date, index_set text DEFAULT '766')
RETURNS TABLE (criterion text, name_vi text, points numeric, max_points numeric, points_lost numeric, ratio numeric)
LANGUAGE sql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    SELECT s.criterion, c.name_vi, s.points, s.max_points, s.max_points - s.points, s.ratio
      FROM tthc.scores_of(ARRAY[agency], "from", "to", index_set) s
      JOIN tthc.index_set_criteria(index_set) c ON c.criterion = s.criterion
     WHERE c.kind <> 'none'
     ORDER BY s.max_points - s.points DESC, c.ord
$$;
COMMENT ON FUNCTION tthc.strengths(text, date, date, text) IS
    'An agency''s criteria ordered by points lost: weaknesses first, strengths last';

-- Early warning: the open dossiers of an agency's subtree that become late
-- within the horizon, soonest first, and the points their lateness would
-- cost the agency on its scores for their month of receipt (2.1 and 5.3).
CREATE FUNCTION tthc.at_risk_rows(agency text, horizon interval, index_set text)
RETURNS TABLE (dossier_code text, agency_id text, procedure_code text, received_at timestamptz,
               due_at timestamptz, late_from timestamptz, time_left interval, points_at_stake numeric)
LANGUAGE sql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
    WITH risky AS (
        SELECT d.code, d.agency_id, d.procedure_code, d.received_at, d.due_at, d.rating, d.has_feedback,
               l.lf, date_trunc('month', d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date AS month
          FROM tthc.dossier d
         CROSS JOIN LATERAL (SELECT tthc.late_from(d) AS lf) l
         WHERE d.agency_id IN (SELECT s.id FROM tthc.agency_subtree(agency) s)
           AND coalesce(d.finished_at, d.returned_at, d.ended_at) IS NULL
           AND l.lf > now() AND l.lf <= now() + horizon),
    sc AS (
        SELECT mo.month, c.metric, s.numerator, s.denominator, s.max_points, c.kind, coalesce(c.target, 1) AS target
          FROM (SELECT DISTINCT r.month FROM risky r) mo
         CROSS JOIN LATERAL tthc.scores_of(ARRAY[agency], mo.month,
                                           (mo.month + interval '1 month - 1 day')::date, index_set) s
          JOIN tthc.index_set_criteria(index_set) c ON c.criterion = s.criterion
         WHERE c.metric IN ('not_late', 'satisfied') AND c.kind <> 'none' AND s.denominator > 0)
    SELECT r.code, r.agency_id, r.procedure_code, r.received_at, r.due_at, r.lf, r.lf - now(),
           coalesce((SELECT sum(least(sc.max_points, sc.max_points * sc.numerator / sc.denominator / sc.target)
                              - least(sc.max_points, sc.max_points * (sc.numerator - 1) / sc.denominator / sc.target))
                       FROM sc
                      WHERE sc.month = r.month
                        AND (sc.metric = 'not_late' OR (r.rating IS DISTINCT FROM -1 AND NOT r.has_feedback))), 0)
      FROM risky r
     ORDER BY r.lf, r.code
$$;
COMMENT ON FUNCTION tthc.at_risk_rows(text, interval, text) IS 'Internal: the rows of tthc.at_risk, its arguments checked';

CREATE FUNCTION tthc.at_risk(agency text, horizon interval, index_set text DEFAULT '766')
RETURNS TABLE (dossier_code text, agency_id text, procedure_code text, received_at timestamptz,
               due_at timestamptz, late_from timestamptz, time_left interval, points_at_stake numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF agency IS NULL OR horizon IS NULL OR index_set IS NULL THEN
        RAISE EXCEPTION 'agency, horizon and index_set must not be null' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF horizon < interval '0' THEN
        RAISE EXCEPTION 'horizon % is negative', horizon USING ERRCODE = 'invalid_parameter_value',
            HINT = 'The horizon is how far ahead to look, like interval ''2 days''.';
    END IF;
    -- the agency and the index set are checked even when nothing is at risk
    PERFORM FROM tthc.agency_subtree(agency) LIMIT 1;
    PERFORM FROM tthc.index_set_criteria(index_set) LIMIT 1;
    RETURN QUERY SELECT * FROM tthc.at_risk_rows(agency, horizon, index_set);
END
$$;
COMMENT ON FUNCTION tthc.at_risk(text, interval, text) IS
    'Open dossiers of an agency''s subtree that become late within the horizon, soonest first, with the points their lateness would cost the agency for their month of receipt';

-- Alerts: NOTIFY a channel when an agency's live total (this month or the
-- year to date) falls below a threshold.  tthc.check_alerts() evaluates
-- them; schedule it (cron, pg_cron) as often as the alerts should be fresh.
CREATE TABLE tthc.alert (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    agency_id   text NOT NULL REFERENCES tthc.agency (id) ON UPDATE CASCADE ON DELETE CASCADE,
    period      text NOT NULL DEFAULT 'month' CONSTRAINT alert_period_known CHECK (period IN ('month', 'year')),
    threshold   numeric NOT NULL CONSTRAINT alert_threshold_range CHECK (threshold BETWEEN 0 AND 100),
    channel     text NOT NULL CONSTRAINT alert_channel_name CHECK (channel ~ '^[a-z_][a-z0-9_]{0,62}$'),
    index_set   text NOT NULL DEFAULT '766' REFERENCES tthc.index_set (id) ON UPDATE CASCADE,
    below       boolean NOT NULL DEFAULT false,
    checked_at  timestamptz,
    last_points numeric
);
COMMENT ON TABLE tthc.alert IS
    'Notify channel when the agency''s live total points for the period (this month, or the year to date) fall below threshold; below remembers the last state, so each crossing notifies once';
SELECT pg_catalog.pg_extension_config_dump('tthc.alert', '');
SELECT pg_catalog.pg_extension_config_dump('tthc.alert_id_seq', '');

CREATE FUNCTION tthc.check_alerts()
RETURNS TABLE (alert_id bigint, agency_id text, points numeric, threshold numeric, notified boolean)
LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    a tthc.alert;
    p numeric;
    today date := tthc.today();
    f date;
BEGIN
    FOR a IN SELECT * FROM tthc.alert ORDER BY id FOR UPDATE SKIP LOCKED LOOP
        f := CASE a.period WHEN 'month' THEN date_trunc('month', today)::date ELSE date_trunc('year', today)::date END;
        SELECT coalesce(sum(s.points), 0) INTO p FROM tthc.scores_of(ARRAY[a.agency_id], f, today, a.index_set) s;
        alert_id := a.id; agency_id := a.agency_id; points := p; threshold := a.threshold;
        notified := p < a.threshold AND NOT a.below;
        IF notified THEN
            PERFORM pg_notify(a.channel, json_build_object('alert', a.id, 'agency', a.agency_id, 'period', a.period,
                                                           'points', p, 'threshold', a.threshold,
                                                           'from', f, 'to', today)::text);
        END IF;
        UPDATE tthc.alert x SET below = p < a.threshold, checked_at = now(), last_points = p WHERE x.id = a.id;
        RETURN NEXT;
    END LOOP;
END
$$;
COMMENT ON FUNCTION tthc.check_alerts() IS
    'Evaluate every alert on the live scores and NOTIFY its channel (a JSON payload) when an agency''s total has just fallen below its threshold; schedule it';
