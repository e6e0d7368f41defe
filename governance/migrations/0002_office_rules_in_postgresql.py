"""The statutes' office rules, held by PostgreSQL itself.

Office.clean() reports these rules as clear errors; this trigger makes sure
no code path (a shell, a bulk update, a race between two secretariat users)
can store a breach. The trigger locks the body's row, so appointments to one
body are serialised and two concurrent saves cannot both take the last seat.

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
    v_count integer;
BEGIN
    SELECT * INTO v_post FROM governance_post WHERE id = NEW.post_id;
    SELECT * INTO v_body FROM governance_body WHERE id = v_post.body_id FOR UPDATE;
    SELECT * INTO v_term FROM governance_term WHERE id = NEW.term_id;
    v_end := COALESCE(NEW.end_date, v_term.end_date);

    IF NEW.start_date < v_term.start_date OR v_end > v_term.end_date THEN
        RAISE EXCEPTION 'office % lies outside its term', NEW.id USING ERRCODE = 'check_violation';
    END IF;

    -- Only current full members (a voting category, neither suspended nor
    -- withdrawn, within their membership dates) are appointed.
    IF TG_OP = 'INSERT' OR NEW.organisation_id <> OLD.organisation_id
       OR NEW.post_id <> OLD.post_id OR NEW.start_date <> OLD.start_date THEN
        IF NOT EXISTS (
            SELECT 1 FROM members_membership m
            JOIN members_membershipcategory c ON c.id = m.category_id
            WHERE m.organisation_id = NEW.organisation_id
              AND c.has_vote AND m.standing = ''
              AND (m.start_date IS NULL OR m.start_date <= NEW.start_date)
              AND (m.end_date IS NULL OR m.end_date >= NEW.start_date)
        ) THEN
            RAISE EXCEPTION 'organisation % is not a current full member', NEW.organisation_id
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    -- One post per member on a body at a time (so never the same post twice).
    IF EXISTS (
        SELECT 1 FROM governance_office o
        JOIN governance_post p ON p.id = o.post_id
        JOIN governance_term t ON t.id = o.term_id
        WHERE o.id <> NEW.id AND o.organisation_id = NEW.organisation_id AND p.body_id = v_post.body_id
          AND o.start_date <= v_end AND COALESCE(o.end_date, t.end_date) >= NEW.start_date
    ) THEN
        RAISE EXCEPTION 'organisation % already holds a post on body % over these dates',
            NEW.organisation_id, v_post.body_id USING ERRCODE = 'exclusion_violation';
    END IF;

    IF v_post.max_holders IS NOT NULL THEN
        SELECT count(*) INTO v_count FROM governance_office o
        JOIN governance_term t ON t.id = o.term_id
        WHERE o.id <> NEW.id AND o.post_id = NEW.post_id
          AND o.start_date <= v_end AND COALESCE(o.end_date, t.end_date) >= NEW.start_date;
        IF v_count >= v_post.max_holders THEN
            RAISE EXCEPTION 'post % may have at most % holder(s) at once', v_post.label, v_post.max_holders
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;

    IF v_body.max_seats IS NOT NULL THEN
        SELECT count(DISTINCT o.organisation_id) INTO v_count FROM governance_office o
        JOIN governance_post p ON p.id = o.post_id
        JOIN governance_term t ON t.id = o.term_id
        WHERE o.id <> NEW.id AND o.term_id = NEW.term_id AND p.body_id = v_post.body_id
          AND o.organisation_id <> NEW.organisation_id
          AND o.start_date <= v_end AND COALESCE(o.end_date, t.end_date) >= NEW.start_date;
        IF v_count + 1 > v_body.max_seats THEN
            RAISE EXCEPTION 'body % has at most % seats in a term', v_body.name, v_body.max_seats
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_office_rules
    BEFORE INSERT OR UPDATE ON governance_office
    FOR EACH ROW EXECUTE FUNCTION governance_office_rules();
"""

DROP = """
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
