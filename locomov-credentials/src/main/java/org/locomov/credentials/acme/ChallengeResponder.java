package org.locomov.credentials.acme;

import org.shredzone.acme4j.challenge.Challenge;

/**
 * Answers one kind of ACME challenge while an order waits for the CA to check it.
 *
 * <p>Implementations are thread-safe: the ordering thread adds and withdraws answers while listener threads
 * serve them.
 */
public sealed interface ChallengeResponder permits Http01Responder, TlsAlpnChallenges {

    /** The challenge type this responder answers. */
    ChallengeType type();

    /**
     * Starts answering {@code challenge} (of {@link #type()}) for {@code domain}; the answer is served until the
     * returned handle is closed.
     */
    Answer answer(String domain, Challenge challenge);

    /** A served answer; closing withdraws it. */
    interface Answer extends AutoCloseable {
        @Override
        void close();
    }
}
