package org.locomov.api;

import io.javalin.config.RoutesConfig;

/** One resource's routes: {@link ApiServer} registers each group in turn, like a table of handlers. */
interface RouteGroup {

    void register(RoutesConfig routes);
}
