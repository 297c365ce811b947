-- Tasklane's durable state. Every row that belongs to a client carries its tenant_id.
-- Ids are UUIDv7: their byte order is their creation order, so "ORDER BY id" lists by age.
--
-- conversation_id columns on batches and tasks have no foreign key on purpose: deleting a
-- conversation detaches them with an UPDATE through their (tenant_id, conversation_id)
-- indexes, where an ON DELETE SET NULL trigger would scan by conversation_id alone.

CREATE TABLE conversations (
    id             uuid        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    system_prompt  text,
    created_at     timestamptz NOT NULL,
    last_active_at timestamptz NOT NULL
);
CREATE INDEX conversations_by_activity ON conversations (tenant_id, last_active_at DESC, id DESC);

CREATE TABLE batches (
    id              uuid        PRIMARY KEY,
    tenant_id       text        NOT NULL,
    conversation_id uuid,
    created_at      timestamptz NOT NULL,
    task_count      int         NOT NULL CHECK (task_count > 0)
);
CREATE INDEX batches_by_conversation ON batches (tenant_id, conversation_id) WHERE conversation_id IS NOT NULL;

CREATE TABLE tasks (
    id                uuid        PRIMARY KEY,
    tenant_id         text        NOT NULL,
    batch_id          uuid        NOT NULL REFERENCES batches (id),
    conversation_id   uuid,
    type              text        NOT NULL,
    model             text,
    lane              text        NOT NULL,
    status            text        NOT NULL
        CHECK (status IN ('scheduled', 'queued', 'running', 'succeeded', 'failed', 'cancelled')),
    priority          text        NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
    attempt           int         NOT NULL DEFAULT 0,
    max_attempts      int,
    timeout_seconds   int,
    input             jsonb,
    response_text     text,
    reasoning_text    text,
    output            jsonb,
    error_code        text,
    error_message     text,
    error_retryable   boolean,
    prompt_tokens     int,
    completion_tokens int,
    total_tokens      int,
    node              text,
    worker_id         text,
    lease_until       timestamptz,
    idempotency_key   text,
    metadata          jsonb,
    callback_url      text,
    depends_on        uuid[],
    created_at        timestamptz NOT NULL,
    started_at        timestamptz,
    finished_at       timestamptz,
    run_at            timestamptz,
    updated_at        timestamptz NOT NULL
);
-- workers, the reconciler and the promoter look only at live rows of a lane
CREATE INDEX tasks_live_by_lane ON tasks (lane, status, created_at)
    WHERE status IN ('scheduled', 'queued', 'running');
-- the lease sweep: running rows whose lease has run out
CREATE INDEX tasks_running_by_lease ON tasks (lease_until) WHERE status = 'running';
CREATE INDEX tasks_by_tenant ON tasks (tenant_id, id DESC);
CREATE INDEX tasks_by_batch ON tasks (tenant_id, batch_id);
CREATE INDEX tasks_by_conversation ON tasks (tenant_id, conversation_id) WHERE conversation_id IS NOT NULL;
-- not unique: a key is reused after its 24 h window
CREATE INDEX tasks_by_idempotency_key ON tasks (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE messages (
    seq             bigserial   PRIMARY KEY,
    tenant_id       text        NOT NULL,
    conversation_id uuid        NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    batch_id        uuid        NOT NULL,
    task_id         uuid,
    role            text        NOT NULL CHECK (role IN ('user', 'assistant')),
    content         text        NOT NULL,
    model           text,
    created_at      timestamptz NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (conversation_id, seq);

CREATE TABLE task_events (
    id        bigserial   PRIMARY KEY,
    task_id   uuid        NOT NULL,
    tenant_id text        NOT NULL,
    ts        timestamptz NOT NULL,
    level     text        NOT NULL,
    message   text        NOT NULL,
    attempt   int         NOT NULL
);
CREATE INDEX task_events_by_task ON task_events (task_id, id);

CREATE TABLE system_logs (
    id          bigserial   PRIMARY KEY,
    ts          timestamptz NOT NULL,
    level       text        NOT NULL,
    source      text        NOT NULL,
    worker_id   text,
    message     text        NOT NULL,
    stack_trace text
);
CREATE INDEX system_logs_by_ts ON system_logs (ts DESC);

CREATE TABLE dead_letters (
    id         bigserial   PRIMARY KEY,
    tenant_id  text,        -- null when the entry names no task it could be traced to
    lane       text        NOT NULL,
    entry_id   text        NOT NULL,
    task_id    uuid,
    reason     text        NOT NULL,
    payload    text,
    deliveries int         NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE INDEX dead_letters_by_lane ON dead_letters (lane, id DESC);
