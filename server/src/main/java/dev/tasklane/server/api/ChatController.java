package dev.tasklane.server.api;

import dev.tasklane.core.engine.ChatSubmitted;
import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.server.ServerSettings;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.parameters.RequestBody;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** POST /v1/chat/completions, the seed form: answers 202 once every task of the batch is committed. */
@RestController
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class ChatController {
    private final SubmitService submit;
    private final ServerSettings settings;
    private final ChatRequestParser parser;

    public ChatController(SubmitService submit, ServerSettings settings) {
        this.submit = submit;
        this.settings = settings;
        this.parser = new ChatRequestParser(settings.maxPromptBytes());
    }

    @Operation(summary = "Submit a prompt to one model, several (comma-separated) or n copies",
            requestBody = @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON_VALUE,
                    examples = @ExampleObject("""
                            {"prompt": "Name three rivers.", "model": "gemini-2.5-flash, deepseek-r1:1.5b", "n": 1,
                             "system": "Be brief.", "priority": "normal", "params": {"temperature": 0.2},
                             "conversation_id": null}"""))))
    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ObjectNode> json(HttpServletRequest request,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        return accepted(submit.submitChat(parser.parse(JsonBody.read(request, settings.maxBodyBytes()), key)));
    }

    @Operation(summary = "Submit a prompt as multipart/form-data fields")
    @PostMapping(path = "/v1/chat/completions", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public ResponseEntity<ObjectNode> form(MultipartHttpServletRequest request,
                                           @RequestHeader(name = "Idempotency-Key", required = false) String key) {
        if (!request.getFileMap().isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "files",
                    "file inputs are not served by this version");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        request.getParameterMap().forEach((name, values) -> fields.put(name, values[0]));
        return accepted(submit.submitChat(parser.parse(ChatRequestParser.fromForm(fields), key)));
    }

    /** 202 for a new submission; 200 with the first answer when an idempotency key repeated one. */
    private static ResponseEntity<ObjectNode> accepted(ChatSubmitted done) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("batch_id", done.batchId().toString());
        body.put("task_id", done.taskIds().getFirst().toString());
        var ids = body.putArray("task_ids");
        done.taskIds().stream().map(UUID::toString).forEach(ids::add);
        body.put("conversation_id", done.conversationId().toString());
        body.put("status", "queued");
        int count = done.taskIds().size();
        body.put("message", "queued " + count + (count == 1 ? " task" : " tasks"));
        return ResponseEntity.status(done.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED).body(body);
    }
}
