/**
 * The HTTPS API (issue 4): users and tokens, devices, readings (pages, buckets, CSV), live events
 * (Server-Sent Events), health, metrics and the OpenAPI document, served by Javalin on one Jetty TLS
 * connector that holds locomov's RSA and EC certificates.
 *
 * <p>{@link org.locomov.api.ApiServer} owns the lifecycle; each group of routes is one small class
 * implementing {@link org.locomov.api.RouteGroup}. Request handlers run on Jetty's (virtual) threads;
 * classes that are also touched by other threads say so. Parameters and return values are non-null
 * unless documented as nullable.
 */
package org.locomov.api;
