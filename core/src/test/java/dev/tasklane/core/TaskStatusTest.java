package dev.tasklane.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tasklane.core.model.IllegalTransitionException;
import dev.tasklane.core.model.TaskStatus;
import org.junit.jupiter.api.Test;

class TaskStatusTest {

    @Test
    void theWorkersPathIsAllowed() {
        TaskStatus.QUEUED.checkTransition(TaskStatus.RUNNING);
        TaskStatus.RUNNING.checkTransition(TaskStatus.SUCCEEDED);
        TaskStatus.RUNNING.checkTransition(TaskStatus.FAILED);
        TaskStatus.RUNNING.checkTransition(TaskStatus.QUEUED);
        TaskStatus.SCHEDULED.checkTransition(TaskStatus.QUEUED);
    }

    @Test
    void endedTasksNeverChange() {
        for (TaskStatus ended : new TaskStatus[] {TaskStatus.SUCCEEDED, TaskStatus.FAILED, TaskStatus.CANCELLED}) {
            assertThat(ended.isTerminal()).isTrue();
            for (TaskStatus next : TaskStatus.values()) {
                assertThatThrownBy(() -> ended.checkTransition(next))
                        .isInstanceOf(IllegalTransitionException.class)
                        .hasMessageContaining(ended.wire() + " -> " + next.wire());
            }
        }
    }

    @Test
    void aQueuedTaskCannotSkipRunning() {
        assertThatThrownBy(() -> TaskStatus.QUEUED.checkTransition(TaskStatus.SUCCEEDED))
                .isInstanceOf(IllegalTransitionException.class);
        assertThatThrownBy(() -> TaskStatus.SCHEDULED.checkTransition(TaskStatus.RUNNING))
                .isInstanceOf(IllegalTransitionException.class);
    }

    @Test
    void statusCodesFollowTheOriginalDesign() {
        assertThat(TaskStatus.QUEUED.statusCode()).isZero();
        assertThat(TaskStatus.RUNNING.statusCode()).isZero();
        assertThat(TaskStatus.SUCCEEDED.statusCode()).isEqualTo(1);
        assertThat(TaskStatus.FAILED.statusCode()).isEqualTo(2);
        assertThat(TaskStatus.CANCELLED.statusCode()).isEqualTo(2);
    }

    @Test
    void wireWordsRoundTrip() {
        for (TaskStatus s : TaskStatus.values()) {
            assertThat(TaskStatus.fromWire(s.wire())).isEqualTo(s);
        }
    }
}
