package dev.tasklane.server.api;

import dev.tasklane.server.infra.Infrastructure;
import io.swagger.v3.oas.annotations.Operation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Liveness and readiness; served by every role. */
@RestController
public class HealthController {
    private static final Logger log = LoggerFactory.getLogger(HealthController.class);

    private final Infrastructure infrastructure;

    public HealthController(Infrastructure infrastructure) {
        this.infrastructure = infrastructure;
    }

    @Operation(summary = "Liveness: the process answers")
    @GetMapping("/healthz")
    public ObjectNode health() {
        return JsonNodeFactory.instance.objectNode().put("status", "ok");
    }

    @Operation(summary = "Readiness: the database and the queue answer")
    @GetMapping("/readyz")
    public ResponseEntity<ObjectNode> ready() {
        ObjectNode checks = JsonNodeFactory.instance.objectNode();
        boolean database = check("database", () -> infrastructure.storage().ping(), checks);
        boolean queue = check("queue", () -> infrastructure.queue().ping(), checks);
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("status", database && queue ? "ready" : "not ready");
        body.set("checks", checks);
        return ResponseEntity.status(database && queue ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
    }

    private static boolean check(String name, Runnable probe, ObjectNode checks) {
        try {
            probe.run();
            checks.put(name, "ok");
            return true;
        } catch (RuntimeException e) {
            log.warn("readiness: {} check failed", name, e);
            checks.put(name, "unavailable");
            return false;
        }
    }
}
