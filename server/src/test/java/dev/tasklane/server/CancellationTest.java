package dev.tasklane.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Guarantee: a queued task ends at once, a running one has its model call aborted, an ended one answers 409. */
class CancellationTest {

    @Test
    void cancellingEndsQueuedAndRunningTasksAndAbortsTheCall() throws Exception {
        try (HangingModelServer model = new HangingModelServer();
             RunningServer server = RunningServer.start("cancel", """
                     lanes:
                       slow:
                         models: ["slow-*"]
                         concurrency: 1
                         timeout_seconds: 300
                         nodes: [{url: "%s"}]
                       quick:
                         models: ["*"]
                         concurrency: 4
                     """.formatted(model.baseUrl()))) {
            JsonNode accepted = server.http.post("/v1/chat/completions",
                    "{\"prompt\": \"think long\", \"model\": \"slow-1\", \"n\": 3}").json();
            String running = accepted.path("task_ids").get(0).asString();
            String queued = accepted.path("task_ids").get(1).asString();
            server.await("/v1/tasks/" + running, t -> t.path("status").asString().equals("running"),
                    Duration.ofSeconds(10));
            EngineFixture.await(() -> model.received() == 1, Duration.ofSeconds(10), () -> "no call reached the model");

            JsonNode cancelledQueued = server.http.post("/v1/tasks/" + queued + "/cancel", "").json();
            assertThat(cancelledQueued.path("status").asString()).isEqualTo("cancelled");
            assertThat(cancelledQueued.path("status_code").asInt()).isEqualTo(2);
            assertThat(cancelledQueued.path("error").path("code").asString()).isEqualTo("cancelled");

            Http.Reply cancelRunning = server.http.post("/v1/tasks/" + running + "/cancel", "");
            assertThat(cancelRunning.status()).isEqualTo(200);
            assertThat(cancelRunning.json().path("status").asString()).isEqualTo("cancelled");
            assertThat(model.awaitClose(10)).as("the model server saw the connection close").isTrue();

            Http.Reply again = server.http.post("/v1/tasks/" + running + "/cancel", "");
            assertThat(again.status()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(server.http.post("/v1/tasks/" + java.util.UUID.randomUUID() + "/cancel", "").status())
                    .isEqualTo(404);

            JsonNode batch = server.http.post("/v1/batches/" + accepted.path("batch_id").asString() + "/cancel", "")
                    .json();
            assertThat(batch.path("cancelled").asInt()).isEqualTo(1);
            assertThat(batch.path("counts").path("cancelled").asInt()).isEqualTo(3);
            assertThat(batch.path("status").asString()).isEqualTo("failed");

            JsonNode logs = server.http.get("/v1/tasks/" + running + "/logs").json().path("data");
            assertThat(StreamSupport.stream(logs.spliterator(), false).map(l -> l.path("message").asString()))
                    .anyMatch(m -> m.contains("cancelled by a client"))
                    .anyMatch(m -> m.contains("aborted: the task was cancelled"));
            assertThat(model.received()).as("the queued copies never reached the model").isLessThanOrEqualTo(2);
        }
    }
}
