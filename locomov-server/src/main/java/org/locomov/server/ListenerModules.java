package org.locomov.server;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import org.locomov.api.ApiModule;
import org.locomov.coap.CoapModule;
import org.locomov.mov.ConfoModule;
import org.locomov.mov.MovModule;
import org.locomov.mqtt.MqttModule;
import org.locomov.particle.ParticleModule;
import org.locomov.transport.ListenerModule;

/**
 * The listener modules of {@code serve}, in start order (and reverse shutdown order): the built-in ones,
 * then any other {@link ListenerModule} found through {@link ServiceLoader} on the class path (how a test
 * adds a test transport to a real server). Adding a listener to locomov is one line here.
 */
final class ListenerModules {

    private ListenerModules() {
    }

    /** New instances of every module (each holds its own parsed options). */
    static List<ListenerModule> all() {
        List<ListenerModule> modules = new ArrayList<>(List.of(
                new MovModule(),
                new ConfoModule(),
                new MqttModule(),
                new CoapModule(),
                new ParticleModule(),
                new ApiModule()));
        Set<String> names = new HashSet<>();
        modules.forEach(module -> names.add(module.name()));
        for (ListenerModule found : ServiceLoader.load(ListenerModule.class)) {
            if (names.add(found.name())) {
                modules.add(found);
            }
        }
        return List.copyOf(modules);
    }
}
