"""Officers sit on the Executive Committee, held by PostgreSQL itself.

Post.clean() and Body.clean() report the rule as clear errors
(governance.models.offices.officers_may_sit_on); these triggers make sure no
code path (a shell, a bulk update, a fixture) stores an officer's post on
another body, or renames the Executive Committee's slug while officers' posts
belong to it. The post trigger share-locks the body it checks, so the body's
slug cannot change under it before the post is committed.

The Executive Committee is the body with the slug "executive-committee"
(governance.models.BodySlug.EXECUTIVE_COMMITTEE).

SQLite (the embedded development default) gets only the model-layer checks.
"""

from django.db import migrations

CREATE = r"""
-- A database that already breaks the rule is not given triggers that would
-- only hide it: the secretariat corrects the posts first.
DO $$
DECLARE
    v_posts text;
BEGIN
    SELECT string_agg(p.slug, ', ') INTO v_posts
    FROM governance_post p JOIN governance_body b ON b.id = p.body_id
    WHERE p.is_officer AND b.slug <> 'executive-committee';
    IF v_posts IS NOT NULL THEN
        RAISE EXCEPTION 'officers'' posts outside the Executive Committee: %; move them or clear "officer" first',
            v_posts USING ERRCODE = 'check_violation';
    END IF;
END;
$$;

CREATE OR REPLACE FUNCTION governance_post_officers_on_excom() RETURNS trigger AS $$
BEGIN
    IF NEW.is_officer THEN
        PERFORM 1 FROM governance_body b
            WHERE b.id = NEW.body_id AND b.slug = 'executive-committee'
            FOR SHARE OF b;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'post % is an officer''s post: officers sit on the Executive Committee, not on body %',
                NEW.label, NEW.body_id USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_post_officers_on_excom
    BEFORE INSERT OR UPDATE OF is_officer, body_id ON governance_post
    FOR EACH ROW EXECUTE FUNCTION governance_post_officers_on_excom();

CREATE OR REPLACE FUNCTION governance_body_keeps_its_officers() RETURNS trigger AS $$
BEGIN
    IF OLD.slug = 'executive-committee' AND NEW.slug <> 'executive-committee' AND EXISTS (
        SELECT 1 FROM governance_post p WHERE p.body_id = NEW.id AND p.is_officer
    ) THEN
        RAISE EXCEPTION 'body % holds officers'' posts: officers sit on the Executive Committee, so its slug stays %',
            NEW.name, OLD.slug USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_body_keeps_its_officers
    BEFORE UPDATE OF slug ON governance_body
    FOR EACH ROW EXECUTE FUNCTION governance_body_keeps_its_officers();
"""

DROP = """
DROP TRIGGER IF EXISTS governance_body_keeps_its_officers ON governance_body;
DROP FUNCTION IF EXISTS governance_body_keeps_its_officers();
DROP TRIGGER IF EXISTS governance_post_officers_on_excom ON governance_post;
DROP FUNCTION IF EXISTS governance_post_officers_on_excom();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("governance", "0003_meetings"),
    ]

    operations = [migrations.RunPython(create, drop)]
