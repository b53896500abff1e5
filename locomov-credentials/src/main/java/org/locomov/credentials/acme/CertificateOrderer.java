package org.locomov.credentials.acme;

import org.locomov.tls.ServerCertificate;
import org.shredzone.acme4j.Authorization;
import org.shredzone.acme4j.Login;
import org.shredzone.acme4j.Order;
import org.shredzone.acme4j.OrderBuilder;
import org.shredzone.acme4j.Problem;
import org.shredzone.acme4j.Status;
import org.shredzone.acme4j.challenge.Challenge;
import org.shredzone.acme4j.connector.Resource;
import org.shredzone.acme4j.exception.AcmeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One ACME order, start to finish: create the order for the names, prove control of each name the CA still
 * asks about with the configured challenge, finalise with a CSR for the given key, download the certificate
 * and pick the chain to serve.
 *
 * <p>Used by the ordering thread; blocks it while the CA works.
 */
final class CertificateOrderer {

    private static final Logger log = LoggerFactory.getLogger(CertificateOrderer.class);

    private final ChallengeResponder responder;
    private final ChainSelection chains;
    private final Duration timeout;

    CertificateOrderer(ChallengeResponder responder, ChainSelection chains, Duration timeout) {
        this.responder = responder;
        this.chains = chains;
        this.timeout = timeout;
    }

    /**
     * Orders a certificate for {@code domains} and {@code keys}.
     *
     * @param replacingOrNull the certificate this one replaces, named to a CA that offers renewal information
     */
    ServerCertificate order(Login login, List<String> domains, KeyPair keys, X509Certificate replacingOrNull)
            throws AcmeException, AcmeOrderException, InterruptedException {
        OrderBuilder builder = login.newOrder().domains(domains);
        if (replacingOrNull != null && login.getSession().resourceUrlOptional(Resource.RENEWAL_INFO).isPresent()) {
            builder.replaces(replacingOrNull);
        }
        Order order = builder.create();
        for (Authorization authorization : order.getAuthorizations()) {
            authorize(authorization);
        }
        Status ready = StatusPolling.until(order, EnumSet.of(Status.READY, Status.VALID, Status.INVALID), timeout, "the order");
        if (ready == Status.INVALID) {
            throw new AcmeOrderException("the CA refused the order: " + problem(order.getError().orElse(null)));
        }
        if (ready == Status.READY) {
            order.execute(keys);
        }
        Status done = StatusPolling.until(order, EnumSet.of(Status.VALID, Status.INVALID), timeout, "the order");
        if (done == Status.INVALID) {
            throw new AcmeOrderException("the CA did not issue the certificate: " + problem(order.getError().orElse(null)));
        }
        List<X509Certificate> chain = chains.choose(order.getCertificate());
        ServerCertificate certificate = new ServerCertificate(keys.getPrivate(), chain);
        log.info("ACME: obtained {}", certificate.describe());
        return certificate;
    }

    private void authorize(Authorization authorization) throws AcmeException, AcmeOrderException, InterruptedException {
        String domain = authorization.getIdentifier().getDomain();
        if (authorization.getStatus() == Status.VALID) {
            return;    // the CA remembers an earlier proof
        }
        String type = responder.type().acmeName();
        Challenge challenge = authorization.findChallenge(type).orElse(null);
        if (challenge == null) {
            throw new AcmeOrderException("the CA offers no " + type + " challenge for " + domain + " (it offers "
                    + authorization.getChallenges().stream().map(Challenge::getType).collect(Collectors.joining(", "))
                    + "); choose another --acme-challenge");
        }
        try (ChallengeResponder.Answer ignored = responder.answer(domain, challenge)) {
            challenge.trigger();
            Status status = StatusPolling.until(challenge, EnumSet.of(Status.VALID, Status.INVALID), timeout,
                    "the " + type + " challenge for " + domain);
            if (status == Status.INVALID) {
                throw new AcmeOrderException("the CA could not verify " + domain + " with " + type + ": "
                        + problem(challenge.getError().orElse(null)));
            }
        }
        log.info("ACME: {} proved with {}", domain, type);
    }

    private static String problem(Problem problem) {
        if (problem == null) {
            return "no reason given";
        }
        return problem.toString();
    }
}
