package dev.tasklane.server.config;

/** A configuration the server refuses to start with; the message names the file, the key and the problem. */
public class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message);
    }
}
