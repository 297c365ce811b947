package dev.tasklane.server.api;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.core.engine.TaskSubmitted;
import dev.tasklane.server.ServerSettings;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code POST /v1/tasks}, the API's hottest path, served before Spring MVC's dispatch:
 * handler lookup, argument resolution and message conversion cost more CPU per
 * request than the submission itself. Same parser, same engine call, same problem
 * answers (from {@link ApiExceptionHandler}) as every other endpoint; any other method
 * on the path goes on to Spring MVC. {@link OpenApiConfiguration} describes it.
 */
public final class TaskSubmitFilter implements Filter {
    static final String PATH = "/v1/tasks";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SubmitService submit;
    private final TaskRequestParser parser;
    private final ApiExceptionHandler errors;
    private final long maxBodyBytes;

    public TaskSubmitFilter(SubmitService submit, ApiExceptionHandler errors, ServerSettings settings) {
        this.submit = submit;
        this.parser = new TaskRequestParser(settings.maxPromptBytes());
        this.errors = errors;
        this.maxBodyBytes = settings.maxBodyBytes();
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        if (!"POST".equals(request.getMethod()) || !PATH.equals(request.getRequestURI())) {
            chain.doFilter(req, res);
            return;
        }
        HttpServletResponse response = (HttpServletResponse) res;
        ResponseEntity<ObjectNode> answer;
        try {
            answer = submitTask(request);
        } catch (Exception e) {
            answer = errors.answer(e);
        }
        write(response, answer);
    }

    private ResponseEntity<ObjectNode> submitTask(HttpServletRequest request) {
        if (!isJson(request.getContentType())) {
            return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null, "send application/json"
                    + (request.getContentType() != null ? ", not " + request.getContentType() : ""));
        }
        TaskSubmitted done = submit.submitTask(parser.parse(JsonBody.read(request, maxBodyBytes),
                request.getHeader("Idempotency-Key")));
        return ResponseEntity.status(done.replayed() ? HttpStatus.OK : HttpStatus.ACCEPTED)
                .contentType(MediaType.APPLICATION_JSON).body(TaskJson.of(done.task()));
    }

    private static boolean isJson(String contentType) {
        if (contentType == null) {
            return false;
        }
        try {
            return MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(contentType));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void write(HttpServletResponse response, ResponseEntity<ObjectNode> answer) throws IOException {
        byte[] body = JSON.writeValueAsBytes(answer.getBody());
        response.setStatus(answer.getStatusCode().value());
        response.setContentType(String.valueOf(answer.getHeaders().getContentType()));
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
