-- Cloud confirmation (DESIGN.md §2) must know when a device's creator is "tied to" an e-mail that is no
-- longer registered: the creator's address at the time it became the creator is kept beside it, so a
-- confo from that old address, now unregistered, is recognised (docs/decisions/0901-confo-creator-tie.md).
-- A trigger keeps it right whichever code sets pub.creator (confo, the API, a claim, ON DELETE SET NULL).
ALTER TABLE pub ADD COLUMN creator_email text;

UPDATE pub p SET creator_email = lower(s.email) FROM sub s WHERE s.id = p.creator;

CREATE FUNCTION pub_record_creator_email() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.creator_email := (SELECT lower(email) FROM sub WHERE id = NEW.creator);
    RETURN NEW;
END
$$;

CREATE TRIGGER pub_creator_email BEFORE INSERT OR UPDATE OF creator ON pub
    FOR EACH ROW EXECUTE FUNCTION pub_record_creator_email();
