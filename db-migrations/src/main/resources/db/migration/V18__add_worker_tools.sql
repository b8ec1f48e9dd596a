-- The tools a worker builds with, as its heartbeats say (detected once at its start): an object with the keys kernel,
-- storageDriver, buildah, skopeo and qemu (the qemu version per emulated platform), a key null where the worker could
-- not tell. The scheduler cuts each value to fit a page (a worker is less trusted than the control plane). Null for a
-- worker that does not send them (older than the field) or has not sent a heartbeat since this column was added.
-- jsonb rather than a column a tool: read and written whole, shown whole, and a new tool needs no migration.
alter table workers
    add column tools jsonb;

-- The tools the job's current attempt runs (or ran) with, as its worker said in the granted claim, in the same shape.
-- Null before the first claim, for a worker older than the field, and after "Retry failed platforms" until the next
-- claim; an attempt taken back from a lost worker keeps its tools until another worker claims the job.
alter table platform_jobs
    add column tools jsonb;
