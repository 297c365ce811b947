package dev.tasklane.server.api;

import dev.tasklane.core.engine.InvalidRequestException;
import dev.tasklane.core.engine.NoRouteException;
import dev.tasklane.core.engine.NotFoundException;
import dev.tasklane.core.engine.RequestRejectedException;
import dev.tasklane.core.model.SystemLogEntry;
import dev.tasklane.core.port.SystemLog;
import dev.tasklane.server.ServerSettings;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.databind.node.ObjectNode;

/** Every error leaves as problem+json; unexpected ones are logged with their cause and never shown. */
@RestControllerAdvice
public class ApiExceptionHandler {
    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

    private final SystemLog systemLog;
    private final ServerSettings settings;
    private final Clock clock;

    public ApiExceptionHandler(SystemLog systemLog, ServerSettings settings, Clock clock) {
        this.systemLog = systemLog;
        this.settings = settings;
        this.clock = clock;
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ObjectNode> api(ApiException e) {
        return Problems.of(e.status(), e.field(), e.getMessage());
    }

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ObjectNode> notFound(NotFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, e.field(), e.getMessage());
    }

    @ExceptionHandler({InvalidRequestException.class, NoRouteException.class})
    ResponseEntity<ObjectNode> unprocessable(RequestRejectedException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, e.field(), e.getMessage());
    }

    @ExceptionHandler(BodyTooLargeException.class)
    ResponseEntity<ObjectNode> tooLarge(BodyTooLargeException e) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, null, e.getMessage());
    }

    @ExceptionHandler(MaxUploadSizeExceededException.class)
    ResponseEntity<ObjectNode> uploadTooLarge(MaxUploadSizeExceededException e) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, null, "the request body is over the size limit");
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<ObjectNode> mediaType(HttpMediaTypeNotSupportedException e) {
        return Problems.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null,
                "send application/json" + (e.getContentType() != null ? ", not " + e.getContentType() : ""));
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<ObjectNode> method(HttpRequestMethodNotSupportedException e) {
        return Problems.of(HttpStatus.METHOD_NOT_ALLOWED, null, e.getMethod() + " is not allowed here");
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<ObjectNode> noResource(NoResourceFoundException e) {
        return Problems.of(HttpStatus.NOT_FOUND, null, "no such path: /" + e.getResourcePath());
    }

    /** The same answers for a request served outside Spring MVC's dispatch ({@link TaskSubmitFilter}). */
    ResponseEntity<ObjectNode> answer(Exception e) {
        return switch (e) {
            case ApiException api -> api(api);
            case NotFoundException notFound -> notFound(notFound);
            case InvalidRequestException invalid -> unprocessable(invalid);
            case NoRouteException noRoute -> unprocessable(noRoute);
            case BodyTooLargeException tooLarge -> tooLarge(tooLarge);
            default -> unexpected(e);
        };
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ObjectNode> unexpected(Exception e) {
        log.error("request failed unexpectedly", e);
        systemLog.record(SystemLogEntry.of(clock.instant(), "ERROR", "gateway", settings.workerId(),
                "request failed unexpectedly", e));
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, null, "internal error; the server log has the cause");
    }
}
