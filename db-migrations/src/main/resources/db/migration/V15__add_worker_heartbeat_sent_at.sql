-- When the worker sent the heartbeat the row shows, by the worker's own clock. A heartbeat applies only when it was
-- sent later (a redelivered or overtaken one changes nothing), so heartbeats need no processed_messages row. Null
-- for a worker that has not sent a heartbeat since this column was added.
alter table workers
    add column heartbeat_sent_at timestamptz;
