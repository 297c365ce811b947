-- What crash recovery and the admin endpoints need: when a queued task's id was last
-- published, idempotency keys held for 24 hours, and dead letters named by UUIDv7 ids.

-- When the task's id was last published to its lane's stream. The reconciler publishes
-- queued tasks again whose id has waited too long (the stream entry may have been lost).
ALTER TABLE tasks ADD COLUMN enqueued_at timestamptz;
UPDATE tasks SET enqueued_at = created_at;
ALTER TABLE tasks ALTER COLUMN enqueued_at SET NOT NULL;
-- the reconciler: queued rows of one lane and priority, oldest publication first
CREATE INDEX tasks_queued_by_enqueued ON tasks (lane, priority, enqueued_at) WHERE status = 'queued';
-- the promoter: scheduled rows whose run_at has come
CREATE INDEX tasks_scheduled_by_run_at ON tasks (run_at) WHERE status = 'scheduled';

-- The submission that holds a tenant's key. A row older than 24 hours is dead and is
-- replaced by the next submission with that key.
CREATE TABLE idempotency_keys (
    tenant_id  text        NOT NULL,
    key        text        NOT NULL,
    batch_id   uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, key)
);
-- keys used before this migration: the newest batch of each holds it
INSERT INTO idempotency_keys (tenant_id, key, batch_id, created_at)
SELECT DISTINCT ON (tenant_id, idempotency_key) tenant_id, idempotency_key, batch_id, created_at
FROM tasks
WHERE idempotency_key IS NOT NULL
ORDER BY tenant_id, idempotency_key, created_at DESC;

-- Dead letters get UUIDv7 ids made by the process that files them, so id order is age
-- order. Existing rows get one built from their created_at (the millisecond) and their
-- old id (the random bits), which keeps them in order and unique.
ALTER TABLE dead_letters ADD COLUMN uuid_id uuid;
UPDATE dead_letters SET uuid_id = (
    lpad(to_hex(floor(extract(epoch FROM created_at) * 1000)::bigint), 12, '0')
    || '7000' || '8000' || lpad(to_hex(id), 12, '0'))::uuid;
-- takes the primary key, the bigserial's sequence and dead_letters_by_lane with it
ALTER TABLE dead_letters DROP COLUMN id;
ALTER TABLE dead_letters RENAME COLUMN uuid_id TO id;
ALTER TABLE dead_letters ALTER COLUMN id SET NOT NULL;
ALTER TABLE dead_letters ADD PRIMARY KEY (id);
CREATE INDEX dead_letters_by_lane ON dead_letters (lane, id DESC);
