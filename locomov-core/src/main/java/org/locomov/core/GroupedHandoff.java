package org.locomov.core;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands tasks from one thread to others' executors, one hand-off per executor for a whole group of tasks.
 *
 * <p>Why: the batch writer completes every reading of a committed batch on its own thread, and each
 * transport then brings its reply back to the connection's event loop. One {@code execute} per reading
 * wakes the same event loop (a system call) once per reading; inside {@link #grouped}, the tasks meant
 * for one executor are collected and given to it as one task when the group ends, so an event loop
 * wakes once per commit whatever the batch size (docs/decisions/1500-grouped-acks-and-pipelined-mov.md).
 *
 * <p>Outside a group {@link #execute} is {@code executor.execute(task)}. Inside one, tasks for one
 * executor run in the order they were handed off; a task that throws is logged and does not keep the
 * others of its group from running. An executor that refuses the group (it has stopped) drops it: its
 * connections are gone, exactly as when it refuses a single task.
 *
 * <p>Thread-safety: the group is the calling thread's own (a thread-local); any thread may call both methods.
 */
public final class GroupedHandoff {

    private static final Logger log = LoggerFactory.getLogger(GroupedHandoff.class);
    private static final ThreadLocal<Map<Executor, List<Runnable>>> GROUP = new ThreadLocal<>();

    private GroupedHandoff() {
    }

    /**
     * Runs {@code task} on {@code executor}: at once (handed off) outside a group, when the group ends inside one.
     *
     * @throws RejectedExecutionException outside a group, when the executor has stopped
     */
    public static void execute(Executor executor, Runnable task) {
        Map<Executor, List<Runnable>> group = GROUP.get();
        if (group == null) {
            executor.execute(task);
        } else {
            group.computeIfAbsent(executor, ignored -> new ArrayList<>()).add(task);
        }
    }

    /**
     * Runs {@code work} on this thread, then hands what it handed off to each executor as one task.
     * A group inside a group joins the outer one.
     */
    public static void grouped(Runnable work) {
        if (GROUP.get() != null) {
            work.run();
            return;
        }
        Map<Executor, List<Runnable>> group = new IdentityHashMap<>(4);
        GROUP.set(group);
        try {
            work.run();
        } finally {
            GROUP.remove();
            group.forEach(GroupedHandoff::handOff);
        }
    }

    private static void handOff(Executor executor, List<Runnable> tasks) {
        try {
            executor.execute(() -> tasks.forEach(GroupedHandoff::runQuietly));
        } catch (RejectedExecutionException stopped) {
            // The executor stopped: whatever these tasks would have answered is closed already.
        }
    }

    private static void runQuietly(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException e) {
            log.warn("A task handed off after a commit failed", e);
        }
    }
}
