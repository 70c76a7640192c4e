-- Check group memberships once per statement instead of once per row, so a
-- bulk import of a million memberships runs one set-based check. Same rules:
-- a membership links a GROUP to an INDIVIDUAL, and a kind marked unique per
-- group is held by one current member at most. The groups touched are locked
-- first, so concurrent changes to one group are serialised.
DROP TRIGGER group_membership_check ON group_membership;
DROP FUNCTION app_check_membership();

CREATE FUNCTION app_check_memberships() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  bad record;
BEGIN
  PERFORM 1 FROM registrant WHERE id IN (SELECT DISTINCT group_id FROM changed) ORDER BY id FOR UPDATE;
  SELECT c.id INTO bad FROM changed c LEFT JOIN registrant g ON g.id = c.group_id AND g.kind = 'GROUP'
   WHERE g.id IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'group_id must reference a group' USING ERRCODE = 'check_violation', CONSTRAINT = 'group_membership_group_kind';
  END IF;
  SELECT c.id INTO bad FROM changed c LEFT JOIN registrant i ON i.id = c.individual_id AND i.kind = 'INDIVIDUAL'
   WHERE i.id IS NULL LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'individual_id must reference an individual' USING ERRCODE = 'check_violation', CONSTRAINT = 'group_membership_individual_kind';
  END IF;
  SELECT m.group_id, m.kind_id INTO bad
    FROM group_membership m JOIN membership_kind k ON k.id = m.kind_id AND k.unique_per_group
   WHERE m.end_date IS NULL AND (m.group_id, m.kind_id) IN (SELECT group_id, kind_id FROM changed WHERE end_date IS NULL)
   GROUP BY m.group_id, m.kind_id HAVING count(*) > 1 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'this group already has a current member of this kind' USING ERRCODE = 'unique_violation', CONSTRAINT = 'group_membership_unique_kind';
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER group_membership_check_insert AFTER INSERT ON group_membership
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app_check_memberships();
CREATE TRIGGER group_membership_check_update AFTER UPDATE ON group_membership
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION app_check_memberships();
