"""A database trigger: a recorded click is never changed (a count must not be edited).

Deleting stays possible (a deleted link or partnership takes its clicks with it, and a
retention job may drop old ones); an UPDATE from any path is refused.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION metrics_click_insert_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'click % is a record and can never change', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER click_insert_only BEFORE UPDATE ON metrics_click
    FOR EACH ROW EXECUTE FUNCTION metrics_click_insert_only();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS click_insert_only ON metrics_click;
DROP FUNCTION IF EXISTS metrics_click_insert_only();
"""


class Migration(migrations.Migration):
    dependencies = [("metrics", "0007_click_rollup_schedule")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
