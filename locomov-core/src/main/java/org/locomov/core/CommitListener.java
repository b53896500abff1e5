package org.locomov.core;

import java.util.List;

/**
 * Told about readings after their transaction committed, for consumers that must never see a reading
 * the database does not hold (live event streams). Called on the writer's thread: implementations hand
 * the readings off and return at once; they must not block or throw.
 */
@FunctionalInterface
public interface CommitListener {

    CommitListener NONE = readings -> { };

    void committed(List<Reading> readings);
}
