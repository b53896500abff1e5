/**
 * PostgreSQL for locomov: the schema (Flyway, {@code db/migration}), the {@link org.locomov.store.Database}
 * (embedded or external, pooled), the {@link org.locomov.store.BatchWriter} every transport's readings go
 * through, the device directory and repository, and partition maintenance.
 *
 * <p>Parameters and return values are non-null unless documented as nullable. Each class states which
 * threads use it. SQL is written with bind parameters; the few identifiers built into SQL (partition
 * names, database names) come from checked values, never from input.
 */
package org.locomov.store;
