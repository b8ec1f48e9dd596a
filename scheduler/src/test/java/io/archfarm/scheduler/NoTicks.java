package io.archfarm.scheduler;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * For tests that drive the scheduler's duties themselves: the scheduled ticks (sweep, merge, retries, relay) never
 * run, not even the first one at start-up, which would otherwise race the test for the rows it just wrote. Listeners
 * and the relay woken after a commit still run.
 */
@TestConfiguration(proxyBeanMethods = false)
public class NoTicks {

    @Bean
    TaskScheduler taskScheduler() {
        return new TaskScheduler() {
            @Override
            public ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
                return NEVER;
            }

            @Override
            public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
                return NEVER;
            }

            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
                return NEVER;
            }

            @Override
            public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
                return NEVER;
            }

            @Override
            public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
                return NEVER;
            }

            @Override
            public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
                return NEVER;
            }
        };
    }

    private static final ScheduledFuture<Object> NEVER = new ScheduledFuture<>() {
        @Override
        public long getDelay(TimeUnit unit) {
            return Long.MAX_VALUE;
        }

        @Override
        public int compareTo(Delayed other) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            return true;
        }

        @Override
        public boolean isCancelled() {
            return true;
        }

        @Override
        public boolean isDone() {
            return true;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    };
}
