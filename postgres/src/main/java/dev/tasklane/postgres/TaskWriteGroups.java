package dev.tasklane.postgres;

import dev.tasklane.core.model.Submission;
import dev.tasklane.core.model.Task;
import dev.tasklane.core.model.TaskResult;
import dev.tasklane.core.model.Usage;
import dev.tasklane.postgres.GroupCommit.Transaction;
import dev.tasklane.postgres.GroupConnections.Flush;
import dev.tasklane.postgres.GroupConnections.Plans;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The hot writes of the task life cycle, each shared by concurrent callers through a
 * {@link GroupCommit}: plain submissions, claims and results. A claim batch is one
 * UPDATE over all its ids; a result batch locks the conversations it touches in id
 * order (so concurrent batches and deletes never wait on each other in a cycle), then
 * stores every result with one fenced UPDATE.
 *
 * <p>Statements that update tasks by id fence on their status through an expression,
 * {@code (t.status || '') = 'queued'}, which no index predicate matches. With the plain
 * comparison the planner may read every queued (or running) task through that status's
 * partial index and join them with the batch: a queue's counts swing by thousands
 * within seconds and its statistics lag, so it expects a handful. Such a claim of one
 * task took 3 to 14 ms with 10,000 queued, against 0.2 ms through the primary key.
 */
final class TaskWriteGroups implements AutoCloseable {

    /** One claim request. */
    record Claim(UUID taskId, String workerId, Instant leaseUntil, Instant now) {}

    /** One result to store, fenced by its attempt. */
    record Result(UUID taskId, int attempt, TaskResult result, Instant finishedAt) {}

    /** Claims the batch's tasks that are still queued, logging each claim; one row per task claimed. */
    static final String CLAIM = """
            WITH claimed AS (
                UPDATE tasks t SET status = 'running', attempt = t.attempt + 1, lease_until = c.lease_until,
                    worker_id = c.worker_id, started_at = COALESCE(t.started_at, c.now),
                    attempt_started_at = c.now, updated_at = c.now
                FROM (SELECT DISTINCT ON (id) * FROM unnest(?::uuid[], ?::timestamptz[], ?::text[], ?::timestamptz[])
                      AS c (id, lease_until, worker_id, now)) c
                WHERE t.id = c.id AND (t.status || '') = 'queued'
                RETURNING t.*),
            logged AS (
                INSERT INTO task_events (task_id, tenant_id, ts, level, message, attempt)
                SELECT id, tenant_id, attempt_started_at, 'INFO',
                    'attempt ' || attempt || ' claimed by worker ' || worker_id, attempt
                FROM claimed)
            SELECT * FROM claimed""";

    /**
     * The most claims one statement writes. The tasks of one claim batch start together, and
     * when their calls take alike they end together, so their slots come back as one burst
     * to refill: with batches of 500, a lane of 1,000 slots turned over in two bursts of 500,
     * each read and claimed in one piece while the others waited. Batches of 100 turn it
     * over in a stream of small pieces, each started while the next is still being claimed.
     */
    static final int CLAIM_BATCH = 100;
    /**
     * How long a batch of results waits at most while claims are waiting or being written.
     * A claim holds an idle slot back from its next call; a result's write only tells
     * pollers sooner, and the batch grows meanwhile. The bound keeps a lane that is
     * claiming all the time from holding its results back for longer.
     */
    static final Duration RESULTS_GIVE_WAY = Duration.ofMillis(20);

    private final GroupCommit<Submission, Boolean> inserts;
    private final GroupCommit<Claim, Optional<Task>> claims;
    private final GroupCommit<Result, Boolean> results;

    /**
     * @param db          the shared pool, where submissions are written
     * @param connections where claims and results get connections of their own, planning each
     *                    batch afresh (and claims committing without waiting for the disk)
     */
    TaskWriteGroups(Database db, GroupConnections connections) {
        int writers = GroupCommit.defaultWriters();
        this.inserts = new GroupCommit<>(db, "submissions", writers, 200, Transaction.ONE_TRANSACTION,
                TaskWriteGroups::insertAll);
        // A claim lost to a database crash puts its task back to queued: the attempt's result is
        // then refused by its fence and the task runs again, as after a worker crash. So claims
        // need not wait for the disk; the result commit that follows flushes them anyway.
        int most = GroupCommit.connections(writers);
        this.claims = new GroupCommit<>(connections.open("claims", writers, most, Flush.ASYNC, Plans.BY_KEY),
                "claims", writers, CLAIM_BATCH, Transaction.AUTO_COMMIT, TaskWriteGroups::claimAll);
        this.results = new GroupCommit<>(connections.open("results", writers, most, Flush.WAIT, Plans.BY_KEY),
                "results", writers, 500, Transaction.AUTO_COMMIT, TaskWriteGroups::completeAll,
                claims, RESULTS_GIVE_WAY);
    }

    void insert(Submission plain) {
        inserts.submit(plain);
    }

    CompletableFuture<Optional<Task>> claim(Claim claim) {
        return claims.submitAsync(claim);
    }

    CompletableFuture<Boolean> complete(Result result) {
        return results.submitAsync(result);
    }

    private static List<Boolean> insertAll(Connection c, List<Submission> submissions) throws SQLException {
        SubmissionWriter.insertTasks(c, submissions);
        return submissions.stream().map(s -> Boolean.TRUE).toList();
    }

    /**
     * A task claimed twice in one batch (a duplicate entry) is won by its first request only.
     * The "claimed" event of each won claim is written by the same statement.
     */
    private static List<Optional<Task>> claimAll(Connection c, List<Claim> batch) throws SQLException {
        Map<UUID, Task> claimed = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(CLAIM)) {
            ps.setArray(1, c.createArrayOf("uuid", batch.stream().map(Claim::taskId).toArray()));
            ps.setArray(2, timestamps(c, batch.stream().map(Claim::leaseUntil).toList()));
            ps.setArray(3, c.createArrayOf("text", batch.stream().map(Claim::workerId).toArray()));
            ps.setArray(4, timestamps(c, batch.stream().map(Claim::now).toList()));
            for (Task t : TaskRows.all(ps)) {
                claimed.put(t.id(), t);
            }
        }
        List<Optional<Task>> answers = new ArrayList<>();
        for (Claim claim : batch) {
            answers.add(Optional.ofNullable(claimed.remove(claim.taskId())));
        }
        return answers;
    }

    /**
     * One fenced UPDATE for the whole batch. A task named twice (two outcomes meeting in one
     * batch) has its later results written by a second pass, so at most one of them wins.
     * A batch without answer texts and without repeats is that one statement, committed by
     * itself; any other is a transaction (conversation locks, the update, the new turns).
     */
    private static List<Boolean> completeAll(Connection c, List<Result> batch) throws SQLException {
        boolean oneStatement = batch.stream().allMatch(r -> r.result().responseText() == null)
                && batch.stream().map(Result::taskId).distinct().count() == batch.size();
        if (oneStatement) {
            Set<UUID> stored = storeResults(c, batch);
            return batch.stream().map(r -> stored.contains(r.taskId())).toList();
        }
        return Database.inTransaction(c, tx -> completeInOne(tx, batch));
    }

    private static List<Boolean> completeInOne(Connection c, List<Result> batch) throws SQLException {
        List<Result> firsts = new ArrayList<>();
        List<Result> repeats = new ArrayList<>();
        Set<UUID> seen = new HashSet<>();
        for (Result r : batch) {
            (seen.add(r.taskId()) ? firsts : repeats).add(r);
        }
        // only an answer with text can become a conversation turn: a batch without one locks nothing
        boolean anyText = firsts.stream().anyMatch(r -> r.result().responseText() != null);
        Map<UUID, UUID> conversationOf = anyText ? lockConversations(c, firsts) : Map.of();
        Set<UUID> stored = storeResults(c, firsts);
        for (Result r : firsts) {
            UUID conversation = conversationOf.get(r.taskId());
            // a chat answer without text (structured output only) is no conversation turn
            if (stored.contains(r.taskId()) && conversation != null && r.result().responseText() != null) {
                Task done = TaskRows.byId(c, r.taskId()).orElseThrow();
                ConversationRows.appendAnswer(c, done, conversation, r.finishedAt());
            }
        }
        Map<Result, Boolean> repeatAnswers = new IdentityHashMap<>();
        if (!repeats.isEmpty()) {
            List<Boolean> answers = completeInOne(c, repeats);
            for (int i = 0; i < repeats.size(); i++) {
                repeatAnswers.put(repeats.get(i), answers.get(i));
            }
        }
        List<Boolean> answers = new ArrayList<>(batch.size());
        Set<UUID> answered = new HashSet<>();
        for (Result r : batch) {
            answers.add(answered.add(r.taskId()) ? stored.contains(r.taskId()) : repeatAnswers.get(r));
        }
        return answers;
    }

    /**
     * The same statement logs one "succeeded" event per stored result, saying where and
     * how long its attempt ran.
     *
     * @return the ids whose fence held
     */
    private static Set<UUID> storeResults(Connection c, List<Result> results) throws SQLException {
        Set<UUID> stored = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH stored AS (
                UPDATE tasks t SET status = 'succeeded', response_text = r.response_text,
                    reasoning_text = r.reasoning_text, output = r.output::jsonb, prompt_tokens = r.prompt_tokens,
                    completion_tokens = r.completion_tokens, total_tokens = r.total_tokens,
                    node = COALESCE(r.node, t.node), error_code = NULL, error_message = NULL,
                    error_retryable = NULL, lease_until = NULL, finished_at = r.finished_at,
                    updated_at = r.finished_at
                FROM unnest(?::uuid[], ?::int[], ?::text[], ?::text[], ?::text[], ?::int[], ?::int[], ?::int[],
                            ?::text[], ?::timestamptz[])
                    AS r (id, attempt, response_text, reasoning_text, output, prompt_tokens, completion_tokens,
                          total_tokens, node, finished_at)
                WHERE t.id = r.id AND t.attempt = r.attempt AND (t.status || '') = 'running'
                RETURNING t.id, t.tenant_id, t.attempt, t.node, t.finished_at, t.attempt_started_at),
                logged AS (
                    INSERT INTO task_events (task_id, tenant_id, ts, level, message, attempt)
                    SELECT id, tenant_id, finished_at, 'INFO', 'attempt ' || attempt || ' succeeded'
                        || COALESCE(' on node ' || node, '')
                        || COALESCE(' in ' || round(extract(epoch FROM finished_at - attempt_started_at) * 1000)
                            || ' ms', ''),
                        attempt
                    FROM stored ORDER BY finished_at, id)
                SELECT id FROM stored""")) {
            ps.setArray(1, c.createArrayOf("uuid", results.stream().map(Result::taskId).toArray()));
            ps.setArray(2, c.createArrayOf("int4", results.stream().map(Result::attempt).toArray()));
            ps.setArray(3, c.createArrayOf("text", results.stream().map(r -> r.result().responseText()).toArray()));
            ps.setArray(4, c.createArrayOf("text", results.stream().map(r -> r.result().reasoningText()).toArray()));
            ps.setArray(5, c.createArrayOf("text",
                    results.stream().map(r -> Columns.jsonText(r.result().output())).toArray()));
            ps.setArray(6, c.createArrayOf("int4", results.stream().map(r -> usage(r, Usage::promptTokens)).toArray()));
            ps.setArray(7, c.createArrayOf("int4",
                    results.stream().map(r -> usage(r, Usage::completionTokens)).toArray()));
            ps.setArray(8, c.createArrayOf("int4", results.stream().map(r -> usage(r, Usage::totalTokens)).toArray()));
            ps.setArray(9, c.createArrayOf("text", results.stream().map(r -> r.result().node()).toArray()));
            ps.setArray(10, timestamps(c, results.stream().map(Result::finishedAt).toList()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(Columns.uuid(rs, "id"));
                }
            }
        }
        return stored;
    }

    private static Integer usage(Result r, Function<Usage, Integer> field) {
        return r.result().usage() == null ? null : field.apply(r.result().usage());
    }

    /**
     * Locks the conversations of the batch's chat tasks before any task row is touched,
     * in id order: deleting a conversation locks it first too.
     */
    private static Map<UUID, UUID> lockConversations(Connection c, List<Result> batch) throws SQLException {
        Map<UUID, UUID> conversationOf = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.id AS task_id, conv.id AS conversation_id
                FROM tasks t JOIN conversations conv ON conv.id = t.conversation_id
                WHERE t.id = ANY(?) AND t.type = 'chat'
                ORDER BY conv.id
                FOR NO KEY UPDATE OF conv""")) {
            ps.setArray(1, c.createArrayOf("uuid", batch.stream().map(Result::taskId).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    conversationOf.put(Columns.uuid(rs, "task_id"), Columns.uuid(rs, "conversation_id"));
                }
            }
        }
        return conversationOf;
    }

    private static Array timestamps(Connection c, List<Instant> instants) throws SQLException {
        return c.createArrayOf("timestamptz", instants.stream().map(Timestamp::from).toArray());
    }

    @Override
    public void close() {
        inserts.close();
        claims.close();
        results.close();
    }
}
