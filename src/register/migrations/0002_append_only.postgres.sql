-- The audit log and the numbers given out are never updated in place or deleted (numbers only
-- change state). A superuser can drop these triggers; the hash chain still shows what they
-- changed (vanban audit verify).
CREATE FUNCTION vanban_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% on % refused: the table is append-only', TG_OP, TG_TABLE_NAME;
END;
$$;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER register_number_no_delete BEFORE DELETE ON register_number
    FOR EACH ROW EXECUTE FUNCTION vanban_refuse_change();
