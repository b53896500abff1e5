/**
 * Certificates and TLS for every locomov listener: the {@link org.locomov.tls.DevelopmentCa} that
 * a first start creates, operator PEM files ({@link org.locomov.tls.PemFiles}), the named
 * {@link org.locomov.tls.CipherProfile}s, {@link org.locomov.tls.ServerTls} (the first handler of a
 * listener's pipeline, serving an RSA or an ECDSA certificate per client hello) and
 * {@link org.locomov.tls.ClientTls} for clients that trust only locomov's CA.
 *
 * <p>Types are immutable and thread-safe unless a class says otherwise; parameters and return
 * values are non-null unless documented as nullable.
 */
package org.locomov.tls;
