/**
 * The HTTPS API (issue 4): users and tokens, devices, readings (pages, buckets, CSV), live events
 * (Server-Sent Events), health, metrics and the OpenAPI document, served by Javalin on one Jetty TLS
 * connector that holds locomov's RSA and EC certificates.
 *
 * <p>{@link org.locomov.api.ApiServer} owns the lifecycle; each group of routes is one small class
 * implementing {@link org.locomov.api.RouteGroup}. Request handlers run on Jetty's virtual threads,
 * many at once: route groups hold only final references to thread-safe repositories and keep no
 * per-request state in fields. Classes also touched by other threads (live events) say which and how.
 * Parameters and return values are non-null unless documented as nullable.
 */
package org.locomov.api;
