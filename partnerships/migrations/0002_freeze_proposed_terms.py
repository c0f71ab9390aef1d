"""Database triggers: a proposed terms version, its children and acceptances are frozen.

Services already refuse such changes; the triggers make sure no other path
(the admin, a shell, a bulk update, a future bug) can either. TRUNCATE, used by
test teardown, does not fire row triggers.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION partnerships_terms_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.proposed_at IS NOT NULL THEN
        RAISE EXCEPTION 'terms version % was proposed and can no longer change', OLD.id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER terms_version_frozen
    BEFORE UPDATE OR DELETE ON partnerships_termsversion
    FOR EACH ROW EXECUTE FUNCTION partnerships_terms_frozen();

CREATE OR REPLACE FUNCTION partnerships_terms_child_frozen() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (
        SELECT 1 FROM partnerships_termsversion
        WHERE id = OLD.version_id AND proposed_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION '% of proposed terms version % can no longer change',
            TG_TABLE_NAME, OLD.version_id USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (
        SELECT 1 FROM partnerships_termsversion
        WHERE id = NEW.version_id AND proposed_at IS NOT NULL
    ) THEN
        RAISE EXCEPTION 'proposed terms version % can no longer change', NEW.version_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN COALESCE(NEW, OLD);
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER deliverable_frozen BEFORE INSERT OR UPDATE OR DELETE ON partnerships_deliverable
    FOR EACH ROW EXECUTE FUNCTION partnerships_terms_child_frozen();
CREATE TRIGGER compensation_frozen BEFORE INSERT OR UPDATE OR DELETE
    ON partnerships_compensationline
    FOR EACH ROW EXECUTE FUNCTION partnerships_terms_child_frozen();
CREATE TRIGGER kpi_frozen BEFORE INSERT OR UPDATE OR DELETE ON partnerships_kpitarget
    FOR EACH ROW EXECUTE FUNCTION partnerships_terms_child_frozen();

CREATE OR REPLACE FUNCTION partnerships_acceptance_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'acceptance % is a record and can never change', OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER acceptance_frozen BEFORE UPDATE OR DELETE ON partnerships_acceptance
    FOR EACH ROW EXECUTE FUNCTION partnerships_acceptance_frozen();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS acceptance_frozen ON partnerships_acceptance;
DROP TRIGGER IF EXISTS kpi_frozen ON partnerships_kpitarget;
DROP TRIGGER IF EXISTS compensation_frozen ON partnerships_compensationline;
DROP TRIGGER IF EXISTS deliverable_frozen ON partnerships_deliverable;
DROP TRIGGER IF EXISTS terms_version_frozen ON partnerships_termsversion;
DROP FUNCTION IF EXISTS partnerships_acceptance_frozen();
DROP FUNCTION IF EXISTS partnerships_terms_child_frozen();
DROP FUNCTION IF EXISTS partnerships_terms_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
