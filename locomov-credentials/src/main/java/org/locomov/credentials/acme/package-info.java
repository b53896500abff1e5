/**
 * Certificates from an ACME certificate authority (RFC 8555: Let's Encrypt, a private CA, Pebble in tests),
 * built on acme4j: {@link org.locomov.credentials.acme.AcmeCertificateSource} keeps an RSA-2048 and a P-256 certificate
 * for the configured names, ordered with HTTP-01 ({@link org.locomov.credentials.acme.Http01Responder}) or TLS-ALPN-01
 * ({@link org.locomov.credentials.acme.TlsAlpnChallenges}, answered by the HTTPS API listener), renewed when the CA's
 * renewal information or two thirds of the lifetime says so, and shared through the database with every node
 * ({@link org.locomov.credentials.acme.SharedTlsMaterial}), where one node at a time orders.
 *
 * <p>Types are immutable and thread-safe unless a class says otherwise; parameters and return values are
 * non-null unless documented as nullable.
 */
package org.locomov.credentials.acme;
