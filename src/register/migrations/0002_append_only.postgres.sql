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

-- Guards on the numbering tables: a counter only goes up and is never deleted, a number keeps
-- its key and never goes back to 'reserved', and register rows are never deleted. Together with
-- the primary keys this makes "a number is never given twice" hold against raw SQL too (short of
-- dropping the triggers, which the audit chain would still show).
CREATE FUNCTION vanban_counter_only_up() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.last_number < OLD.last_number OR NEW.org IS DISTINCT FROM OLD.org
        OR NEW.direction IS DISTINCT FROM OLD.direction OR NEW.book IS DISTINCT FROM OLD.book
        OR NEW.year IS DISTINCT FROM OLD.year THEN
        RAISE EXCEPTION 'UPDATE on register_counter refused: register counters only go up';
    END IF;
    RETURN NEW;
END;
$$;

CREATE FUNCTION vanban_number_key_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.org IS DISTINCT FROM OLD.org OR NEW.book IS DISTINCT FROM OLD.book
        OR NEW.year IS DISTINCT FROM OLD.year OR NEW.number IS DISTINCT FROM OLD.number
        OR (NEW.state = 'reserved' AND OLD.state <> 'reserved') THEN
        RAISE EXCEPTION 'UPDATE on register_number refused: a number keeps its key and never returns to reserved';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER register_counter_only_up BEFORE UPDATE ON register_counter
    FOR EACH ROW EXECUTE FUNCTION vanban_counter_only_up();

CREATE TRIGGER register_counter_no_delete BEFORE DELETE ON register_counter
    FOR EACH ROW EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER register_counter_no_truncate BEFORE TRUNCATE ON register_counter
    FOR EACH STATEMENT EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER register_number_key_fixed BEFORE UPDATE ON register_number
    FOR EACH ROW EXECUTE FUNCTION vanban_number_key_fixed();

CREATE TRIGGER register_number_no_truncate BEFORE TRUNCATE ON register_number
    FOR EACH STATEMENT EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER outgoing_entry_no_delete BEFORE DELETE ON outgoing_entry
    FOR EACH ROW EXECUTE FUNCTION vanban_refuse_change();

CREATE TRIGGER incoming_entry_no_delete BEFORE DELETE ON incoming_entry
    FOR EACH ROW EXECUTE FUNCTION vanban_refuse_change();
