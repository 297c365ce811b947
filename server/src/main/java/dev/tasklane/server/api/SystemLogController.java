package dev.tasklane.server.api;

import dev.tasklane.core.model.Page;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.port.SystemLog;
import io.swagger.v3.oas.annotations.Operation;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Operating: unexpected errors of gateways and workers with their stack traces (never sent with a client's answer). */
@RestController
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class SystemLogController {
    private final SystemLog systemLog;

    public SystemLogController(SystemLog systemLog) {
        this.systemLog = systemLog;
    }

    @Operation(summary = "Unexpected errors, newest first (admin)")
    @GetMapping("/v1/admin/system-logs")
    public ObjectNode list(@RequestParam(required = false) String limit,
                           @RequestParam(required = false) String cursor) {
        Page<SystemLogEntry> page;
        try {
            page = systemLog.list(TaskListQuery.limit(limit), cursor);
        } catch (IllegalArgumentException e) {
            throw ApiException.badField("cursor", "cursor is not one this server gave out");
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode data = body.putArray("data");
        for (SystemLogEntry e : page.items()) {
            data.addObject().put("id", e.id()).put("ts", TaskJson.time(e.ts())).put("level", e.level())
                    .put("source", e.source()).put("worker_id", e.workerId()).put("message", e.message())
                    .put("stack_trace", e.stackTrace());
        }
        body.put("next_cursor", page.nextCursor());
        return body;
    }
}
