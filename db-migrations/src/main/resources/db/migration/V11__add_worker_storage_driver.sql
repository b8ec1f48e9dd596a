-- The driver of a worker's buildah image stores as its heartbeats say: "overlay" or "vfs". Null for a worker that
-- predates the field (it uses vfs) or has not sent a heartbeat since this column was added.
alter table workers
    add column storage_driver varchar(16);
