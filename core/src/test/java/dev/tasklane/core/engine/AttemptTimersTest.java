package dev.tasklane.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AttemptTimersTest {

    @Test
    void theTimerOfAnAttemptThatEndedDoesNotStayQueuedUntilItsTimeout() {
        ScheduledThreadPoolExecutor timers = AttemptTimers.create();
        try {
            List<ScheduledFuture<?>> armed = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                armed.add(timers.schedule(() -> { }, 10, TimeUnit.MINUTES));
            }
            ScheduledFuture<?> stillRunning = timers.schedule(() -> { }, 10, TimeUnit.MINUTES);

            armed.forEach(timer -> timer.cancel(false));

            assertThat(timers.getQueue()).containsExactly((Runnable) stillRunning);
        } finally {
            timers.shutdownNow();
        }
    }
}
