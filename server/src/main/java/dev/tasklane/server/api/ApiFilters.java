package dev.tasklane.server.api;

import dev.tasklane.core.engine.SubmitService;
import dev.tasklane.server.ServerSettings;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/** The servlet filters of the API roles. */
@Configuration
@ConditionalOnProperty(name = "tasklane.api", havingValue = "true")
public class ApiFilters {

    @Bean
    FilterRegistrationBean<TaskSubmitFilter> taskSubmitFilter(SubmitService submit, ApiExceptionHandler errors,
                                                              ServerSettings settings) {
        FilterRegistrationBean<TaskSubmitFilter> registration =
                new FilterRegistrationBean<>(new TaskSubmitFilter(submit, errors, settings));
        registration.addUrlPatterns(TaskSubmitFilter.PATH);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
