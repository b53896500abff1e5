/**
 * The vocabulary every locomov module shares: a {@link org.locomov.core.Reading}, the
 * {@link org.locomov.core.Ingest} pipeline a transport hands it to, the
 * {@link org.locomov.core.DeviceDirectory} that says whether a device may send, and the
 * exceptions that carry why a reading was not stored.
 *
 * <p>Nothing here does I/O. Types are immutable and thread-safe unless a class says otherwise;
 * parameters and return values are non-null unless documented as nullable.
 */
package org.locomov.core;
