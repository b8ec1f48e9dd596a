-- A webhook delivery id is the same id whatever its case (issue 11): a replay of delivery "abc-1" as "ABC-1" must
-- claim nothing. The unique index that lets each id be claimed once now compares lower(delivery_id); the id is
-- kept as the forge sent it, for the log.
drop index webhook_deliveries_once_uq;

-- Claims made before this change that differ from an earlier claim only by case become what they would have been:
-- duplicates of the first one (they keep their build link and say what they were).
update webhook_deliveries later
set result = 'DUPLICATE',
    detail = 'the same delivery id as an earlier delivery, in another case; was ' || later.result || ': '
             || coalesce(later.detail, '')
where later.result in ('BUILT', 'PING', 'IGNORED')
  and exists (select 1
              from webhook_deliveries earlier
              where earlier.project_id = later.project_id
                and earlier.forge = later.forge
                and lower(earlier.delivery_id) = lower(later.delivery_id)
                and earlier.result in ('BUILT', 'PING', 'IGNORED')
                and (earlier.received_at, earlier.id) < (later.received_at, later.id));

create unique index webhook_deliveries_once_uq on webhook_deliveries (project_id, forge, lower(delivery_id))
    where result in ('BUILT', 'PING', 'IGNORED');
