package org.locomov.bench;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * An external program a phase measures against or through (nginx with its stream module, mosquitto, a bare
 * Californium server): how to tell whether it is usable here, and which Debian packages provide it.
 *
 * @param name              shown in the report (e.g. {@code nginx with the stream module})
 * @param debianPackages    what {@code apt-get install} needs when the bench runs as root
 * @param unavailableReason empty when usable, else why not (e.g. {@code /usr/sbin/nginx is missing})
 */
record Peer(String name, List<String> debianPackages, Supplier<Optional<String>> unavailableReason) {

    Peer {
        debianPackages = List.copyOf(debianPackages);
    }

    static final Peer NGINX = new Peer("nginx with the stream module", List.of("nginx", "libnginx-mod-stream"),
            NginxTlsTerminator::unavailableReason);
}
