package org.locomov.tls;

import java.nio.file.Path;
import java.util.Objects;

/** A certificate chain file (PEM, leaf first) and the file holding its private key. */
public record PemFilePair(Path chain, Path key) {

    public PemFilePair {
        Objects.requireNonNull(chain, "chain");
        Objects.requireNonNull(key, "key");
    }
}
