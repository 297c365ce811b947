package dev.tasklane.server.api;

import org.springframework.http.HttpStatus;

/** A request refused with a status and, when one field is at fault, its name. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String field;

    public ApiException(HttpStatus status, String field, String message) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badField(String field, String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, field, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, null, what + " not found");
    }

    public HttpStatus status() {
        return status;
    }

    public String field() {
        return field;
    }
}
