-- A retry of an ended build's failed platforms, asked for and not yet taken up: the portal sets it with one
-- conditional update (so a second click before the scheduler acted changes nothing) in the transaction that writes
-- the BuildRetryRequested outbox row; the scheduler clears it when it re-opens the build (or ignores the request).
alter table builds add column retry_requested_at timestamptz;
