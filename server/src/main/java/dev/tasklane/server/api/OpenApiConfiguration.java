package dev.tasklane.server.api;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import java.util.Map;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The OpenAPI document behind /openapi.json and /docs. */
@Configuration
public class OpenApiConfiguration {
    static {
        // the controllers answer with Jackson trees; describe them as plain objects, not as the node classes
        SpringDocUtils.getConfig().replaceWithClass(ObjectNode.class, Map.class)
                .replaceWithClass(JsonNode.class, Map.class);
    }

    @Bean
    OpenAPI tasklaneOpenApi() {
        return new OpenAPI().info(new Info().title("Tasklane API").version("1")
                .description("A durable gateway and queue for AI work. Errors are application/problem+json (RFC 9457)."));
    }
}
