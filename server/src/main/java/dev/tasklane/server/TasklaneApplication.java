package dev.tasklane.server;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** The Spring Boot application; {@link TasklaneMain} starts it with the role's settings. */
@SpringBootApplication
public class TasklaneApplication {}
