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
