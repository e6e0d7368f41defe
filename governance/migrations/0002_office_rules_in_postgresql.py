"""The statutes' office rules, held by PostgreSQL itself.

Office.clean() reports these rules as clear errors; these triggers make sure
no code path (a shell, a bulk update, a race between two secretariat users)
can store a breach. The office trigger locks the body's row, so appointments
to one body are serialised and two concurrent saves cannot both take the last
seat; it share-locks the term and the membership it relies on, so neither
changes under it.

Limits count holders "at a time": an office without an end date runs to its
term's end, and the most holders on any one day of the new office's dates is
compared with the limit (a seat that changed hands mid-term counts once).

SQLite (the embedded development default) gets only the model-layer checks.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION governance_office_rules() RETURNS trigger AS $$
DECLARE
    v_post governance_post%ROWTYPE;
    v_body governance_body%ROWTYPE;
    v_term governance_term%ROWTYPE;
    v_end date;
    v_peak integer;
BEGIN
    SELECT * INTO v_post FROM governance_post WHERE id = NEW.post_id;
    SELECT * INTO v_body FROM governance_body WHERE id = v_post.body_id FOR UPDATE;
    SELECT * INTO v_term FROM governance_term WHERE id = NEW.term_id FOR SHARE;
    v_end := COALESCE(NEW.end_date, v_term.end_date);

    IF NEW.start_date < v_term.start_date OR NEW.start_date > v_term.end_date OR v_end > v_term.end_date THEN
        RAISE EXCEPTION 'office % lies outside its term %', NEW.id, v_term.name
            USING ERRCODE = 'check_violation';
    END IF;

    -- Only current full members (a voting category, neither suspended nor
    -- withdrawn, within their membership dates) are appointed. Checked when
    -- the appointment changes, not when an office is later ended.
    IF TG_OP = 'INSERT' OR NEW.organisation_id <> OLD.organisation_id
       OR NEW.post_id <> OLD.post_id OR NEW.start_date <> OLD.start_date THEN
        PERFORM 1 FROM members_membership m
            JOIN members_membershipcategory c ON c.id = m.category_id
            WHERE m.organisation_id = NEW.organisation_id
              AND c.has_vote AND m.standing = ''
              AND (m.start_date IS NULL OR m.start_date <= NEW.start_date)
              AND (m.end_date IS NULL OR m.end_date >= NEW.start_date)
            FOR SHARE OF m;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'organisation % is not a current full member on %', NEW.organisation_id, NEW.start_date
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    -- One post per member on a body at a time (so never the same post twice,
    -- and an officer never also takes an ordinary seat).
    IF EXISTS (
        SELECT 1 FROM governance_office o
        JOIN governance_post p ON p.id = o.post_id
        JOIN governance_term t ON t.id = o.term_id
        WHERE o.id IS DISTINCT FROM NEW.id
          AND o.organisation_id = NEW.organisation_id AND p.body_id = v_post.body_id
          AND o.start_date <= v_end AND COALESCE(o.end_date, t.end_date) >= NEW.start_date
    ) THEN
        RAISE EXCEPTION 'organisation % already holds a post on body % over these dates',
            NEW.organisation_id, v_body.name USING ERRCODE = 'exclusion_violation';
    END IF;

    IF v_post.max_holders IS NOT NULL THEN
        WITH others AS (
            SELECT o.start_date AS first_day, COALESCE(o.end_date, t.end_date) AS last_day
            FROM governance_office o JOIN governance_term t ON t.id = o.term_id
            WHERE o.id IS DISTINCT FROM NEW.id AND o.post_id = NEW.post_id
              AND o.start_date <= v_end AND COALESCE(o.end_date, t.end_date) >= NEW.start_date
        ), days AS (
            SELECT NEW.start_date AS day UNION SELECT first_day FROM others WHERE first_day > NEW.start_date
        )
        SELECT COALESCE(max(held), 0) INTO v_peak FROM (
            SELECT count(others.first_day) AS held FROM days
            LEFT JOIN others ON others.first_day <= days.day AND others.last_day >= days.day
            GROUP BY days.day
        ) per_day;
        IF v_peak + 1 > v_post.max_holders THEN
            RAISE EXCEPTION 'post % may have at most % holder(s) at a time', v_post.label, v_post.max_holders
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    -- Officers' posts are seats on the body too, so they count here.
    IF v_body.max_seats IS NOT NULL THEN
        WITH others AS (
            SELECT o.organisation_id, o.start_date AS first_day, COALESCE(o.end_date, t.end_date) AS last_day
            FROM governance_office o
            JOIN governance_post p ON p.id = o.post_id
            JOIN governance_term t ON t.id = o.term_id
            WHERE o.id IS DISTINCT FROM NEW.id AND o.term_id = NEW.term_id AND p.body_id = v_post.body_id
              AND o.organisation_id <> NEW.organisation_id
              AND o.start_date <= v_end AND COALESCE(o.end_date, t.end_date) >= NEW.start_date
        ), days AS (
            SELECT NEW.start_date AS day UNION SELECT first_day FROM others WHERE first_day > NEW.start_date
        )
        SELECT COALESCE(max(seated), 0) INTO v_peak FROM (
            SELECT count(DISTINCT others.organisation_id) AS seated FROM days
            LEFT JOIN others ON others.first_day <= days.day AND others.last_day >= days.day
            GROUP BY days.day
        ) per_day;
        IF v_peak + 1 > v_body.max_seats THEN
            RAISE EXCEPTION 'body % has at most % seats at a time in a term', v_body.name, v_body.max_seats
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_office_rules
    BEFORE INSERT OR UPDATE ON governance_office
    FOR EACH ROW EXECUTE FUNCTION governance_office_rules();

-- Terms follow one another without overlapping, and a term's dates never
-- leave one of its offices outside it (an office's open end follows the term).
CREATE OR REPLACE FUNCTION governance_term_rules() RETURNS trigger AS $$
BEGIN
    -- Serialise changes of terms, so two overlapping terms cannot be saved at once.
    PERFORM pg_advisory_xact_lock(hashtext('governance_term_rules'));
    IF EXISTS (
        SELECT 1 FROM governance_term t
        WHERE t.id IS DISTINCT FROM NEW.id AND t.start_date <= NEW.end_date AND t.end_date >= NEW.start_date
    ) THEN
        RAISE EXCEPTION 'term % overlaps another term', NEW.name USING ERRCODE = 'exclusion_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM governance_office o
        WHERE o.term_id = NEW.id
          AND (o.start_date < NEW.start_date OR o.start_date > NEW.end_date OR o.end_date > NEW.end_date)
    ) THEN
        RAISE EXCEPTION 'term % would leave offices outside its dates', NEW.name USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_term_rules
    BEFORE INSERT OR UPDATE OF start_date, end_date ON governance_term
    FOR EACH ROW EXECUTE FUNCTION governance_term_rules();
"""

DROP = """
DROP TRIGGER IF EXISTS governance_term_rules ON governance_term;
DROP FUNCTION IF EXISTS governance_term_rules();
DROP TRIGGER IF EXISTS governance_office_rules ON governance_office;
DROP FUNCTION IF EXISTS governance_office_rules();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0001_structure"),
        ("members", "0001_initial"),
    ]

    operations = [migrations.RunPython(create, drop)]
