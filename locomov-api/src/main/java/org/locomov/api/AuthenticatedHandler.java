package org.locomov.api;

import io.javalin.http.Context;

/** A route handler that runs only for a request with a valid token, and is told whose it is. */
@FunctionalInterface
interface AuthenticatedHandler {

    void handle(Context ctx, Caller caller) throws Exception;
}
