package dev.tasklane.postgres;

import dev.tasklane.core.model.TaskQuery;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** The SELECT behind a task listing: one condition per set filter, newest first by id. */
final class TaskListQuery {
    private final StringBuilder sql = new StringBuilder("SELECT * FROM tasks WHERE tenant_id = ?");
    private final List<Object> params = new ArrayList<>();

    /** created_after and created_before bound a half-open range: after ≤ created_at < before. */
    TaskListQuery(String tenantId, TaskQuery q) {
        PageLimit.check(q.limit());
        params.add(tenantId);
        where("status = ?", q.status() == null ? null : q.status().wire());
        where("lane = ?", q.lane());
        where("model = ?", q.model());
        where("type = ?", q.type());
        if (q.batchId() != null) {
            sql.append(" AND ").append(BatchMembers.CONDITION);
            for (int i = 0; i < BatchMembers.PARAMETERS; i++) {
                params.add(q.batchId());
            }
        }
        where("conversation_id = ?", q.conversationId());
        where("created_at >= ?", utc(q.createdAfter()));
        where("created_at < ?", utc(q.createdBefore()));
        where("id < ?", q.before());
        sql.append(" ORDER BY id DESC LIMIT ?");
        params.add(q.limit());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private void where(String condition, Object value) {
        if (value != null) {
            sql.append(" AND ").append(condition);
            params.add(value);
        }
    }

    PreparedStatement prepare(Connection c) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql.toString());
        for (int i = 0; i < params.size(); i++) {
            ps.setObject(i + 1, params.get(i));
        }
        return ps;
    }
}
