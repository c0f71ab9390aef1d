"""Database triggers: a frozen settlement and its lines never change.

Same pattern as the frozen terms (partnerships 0002): the service already writes a
settlement once; the triggers make sure no other path (the admin, a shell, a bulk
update, a future bug) can alter or delete it or its lines. A line may only be added in
the transaction that froze its settlement: `frozen_at` is the database's statement time,
never earlier than the transaction's start, so a later transaction finds it older than
its own start and is refused. TRUNCATE, used by test teardown, fires no row triggers.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION metrics_settlement_frozen() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% % is a frozen settlement record and can never change',
        TG_TABLE_NAME, OLD.id USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER settlement_frozen BEFORE UPDATE OR DELETE ON metrics_settlement
    FOR EACH ROW EXECUTE FUNCTION metrics_settlement_frozen();
CREATE TRIGGER settlement_line_frozen BEFORE UPDATE OR DELETE ON metrics_settlementline
    FOR EACH ROW EXECUTE FUNCTION metrics_settlement_frozen();

CREATE OR REPLACE FUNCTION metrics_settlement_line_added() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM metrics_settlement
        WHERE id = NEW.settlement_id AND frozen_at < transaction_timestamp()
    ) THEN
        RAISE EXCEPTION 'settlement % is frozen: no line can be added', NEW.settlement_id
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER settlement_line_added BEFORE INSERT ON metrics_settlementline
    FOR EACH ROW EXECUTE FUNCTION metrics_settlement_line_added();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS settlement_line_added ON metrics_settlementline;
DROP TRIGGER IF EXISTS settlement_line_frozen ON metrics_settlementline;
DROP TRIGGER IF EXISTS settlement_frozen ON metrics_settlement;
DROP FUNCTION IF EXISTS metrics_settlement_line_added();
DROP FUNCTION IF EXISTS metrics_settlement_frozen();
"""


class Migration(migrations.Migration):
    dependencies = [("metrics", "0010_settlements")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
