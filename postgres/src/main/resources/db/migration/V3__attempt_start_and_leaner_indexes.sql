-- When the current attempt was claimed: started_at keeps the first attempt's start,
-- this one lets a result say how long its own attempt ran.
ALTER TABLE tasks ADD COLUMN attempt_started_at timestamptz;

-- Superseded by the partial indexes of V2 (queued by enqueued_at, scheduled by run_at,
-- running by lease); it only cost two more index entries for every task.
DROP INDEX tasks_live_by_lane;

-- The log is only ever read per task, in order: one index serves as key and for reading.
ALTER TABLE task_events DROP CONSTRAINT task_events_pkey;
ALTER TABLE task_events ADD PRIMARY KEY (task_id, id);
DROP INDEX task_events_by_task;

-- A batch is its tasks: they carry its id, tenant, conversation and creation time, so a
-- row of its own only cost an insert and a foreign-key check for every submission.
ALTER TABLE tasks DROP CONSTRAINT tasks_batch_id_fkey;
DROP TABLE batches;
