-- The audit log and the numbers given out are never updated in place or deleted (numbers only
-- change state). Someone with write access to the file can drop these triggers; the hash chain
-- still shows what they changed (vanban audit verify).
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER register_number_no_delete BEFORE DELETE ON register_number
BEGIN
    SELECT RAISE(ABORT, 'register numbers are never deleted; void them');
END;

-- Guards on the numbering tables: a counter only goes up and is never deleted, a number keeps
-- its key and never goes back to 'reserved', and register rows are never deleted. Together with
-- the primary keys this makes "a number is never given twice" hold against raw SQL too (short of
-- dropping the triggers, which the audit chain would still show).
CREATE TRIGGER register_counter_only_up BEFORE UPDATE ON register_counter
WHEN NEW.last_number < OLD.last_number OR NEW.org IS NOT OLD.org
    OR NEW.direction IS NOT OLD.direction OR NEW.book IS NOT OLD.book OR NEW.year IS NOT OLD.year
BEGIN
    SELECT RAISE(ABORT, 'refused: register counters only go up');
END;

CREATE TRIGGER register_counter_no_delete BEFORE DELETE ON register_counter
BEGIN
    SELECT RAISE(ABORT, 'refused: register counters are never deleted');
END;

CREATE TRIGGER register_number_key_fixed BEFORE UPDATE ON register_number
WHEN NEW.org IS NOT OLD.org OR NEW.book IS NOT OLD.book OR NEW.year IS NOT OLD.year
    OR NEW.number IS NOT OLD.number OR (NEW.state = 'reserved' AND OLD.state <> 'reserved')
BEGIN
    SELECT RAISE(ABORT, 'refused: a number keeps its key and never returns to reserved');
END;

CREATE TRIGGER outgoing_entry_no_delete BEFORE DELETE ON outgoing_entry
BEGIN
    SELECT RAISE(ABORT, 'refused: the outgoing register is never deleted from');
END;

CREATE TRIGGER incoming_entry_no_delete BEFORE DELETE ON incoming_entry
BEGIN
    SELECT RAISE(ABORT, 'refused: the incoming register is never deleted from');
END;
