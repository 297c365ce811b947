package dev.tasklane.server.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAPI document behind /openapi.json and /docs. */
@Configuration
public class OpenApiConfiguration {
    private static final Map<String, Object> SUBMIT_EXAMPLE = Map.of("type", "chat", "model", "qwen2.5:7b",
            "input", Map.of("prompt", "Hello"), "priority", "normal", "max_attempts", 3, "timeout_seconds", 120,
            "metadata", Map.of());
    static {
        // the controllers answer with Jackson trees; describe them as plain objects, not as the node classes
        SpringDocUtils.getConfig().replaceWithClass(ObjectNode.class, Map.class)
                .replaceWithClass(JsonNode.class, Map.class);
    }

    /** {@code POST /v1/tasks} is served by {@link TaskSubmitFilter}, which springdoc cannot see. */
    @Bean
    OpenApiCustomizer taskSubmitOperation() {
        return openApi -> {
            if (openApi.getPaths() == null) {
                openApi.setPaths(new Paths());
            }
            PathItem tasks = openApi.getPaths().computeIfAbsent(TaskSubmitFilter.PATH, path -> new PathItem());
            tasks.post(new Operation().operationId("createTask").addTagsItem("task-controller")
                    .summary("Submit a task of any type (chat, noop, sleep)")
                    .addParametersItem(new HeaderParameter().name("Idempotency-Key").required(false)
                            .schema(new StringSchema()))
                    .requestBody(new RequestBody().required(true).content(new Content().addMediaType(
                            org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType()
                                    .schema(new ObjectSchema()).example(SUBMIT_EXAMPLE))))
                    .responses(new ApiResponses()
                            .addApiResponse("202", taskAnswer("the task, committed and queued"))
                            .addApiResponse("200", taskAnswer("the earlier task of this idempotency key"))
                            .addApiResponse("422", problem("a field is invalid; the problem names it"))
                            .addApiResponse("415", problem("the body is not application/json"))));
        };
    }

    private static ApiResponse taskAnswer(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_JSON_VALUE, new MediaType().schema(new ObjectSchema())));
    }

    private static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(new Content().addMediaType(
                org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new ObjectSchema())));
    }

    @Bean
    OpenAPI tasklaneOpenApi() {
        return new OpenAPI().info(new Info().title("Tasklane API").version("1")
                .description("A durable gateway and queue for AI work. Errors are application/problem+json (RFC 9457)."));
    }
}
