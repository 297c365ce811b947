-- A task submitted alone is a batch of one whose id is the task's own. Such a row is found
-- by its primary key, so the batch index holds only the tasks of larger batches (and lone
-- tasks from before this migration): a lone task no longer adds an entry to it with every
-- row version it writes (insert, claim, result).
DROP INDEX tasks_by_batch;
CREATE INDEX tasks_by_batch ON tasks (tenant_id, batch_id) WHERE batch_id <> id;
