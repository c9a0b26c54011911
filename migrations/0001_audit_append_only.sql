-- Audit events are append-only: the database itself refuses to change or delete one,
-- so a bug or a stray script cannot rewrite history (a superuser can still drop the trigger,
-- which the hash chain then exposes).
CREATE OR REPLACE FUNCTION hearth_audit_events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER audit_events_append_only
  BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION hearth_audit_events_append_only();
--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate
  BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION hearth_audit_events_append_only();
