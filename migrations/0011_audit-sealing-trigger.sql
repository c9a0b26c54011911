-- Audit events stay append-only, with one exception: sealing. An event is written unsealed
-- (no seq, prev_hash or hash) in the transaction of the change it records; the forum's sealer
-- later gives it its place in the chain, once. Every other UPDATE, every DELETE and TRUNCATE
-- is still refused (a superuser can drop the trigger, which the keyed chain and the forum's
-- checkpoints then expose).
CREATE OR REPLACE FUNCTION hearth_audit_events_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND NEW.id = OLD.id AND NEW.forum_id = OLD.forum_id AND NEW.type = OLD.type AND NEW.actor = OLD.actor
       AND NEW.subject_id IS NOT DISTINCT FROM OLD.subject_id AND NEW.payload = OLD.payload
       AND NEW.created_at = OLD.created_at THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- Checkpoints are append-only too.
CREATE TRIGGER audit_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION hearth_audit_events_append_only();
