package org.locomov.mqtt;

import java.util.Objects;
import org.locomov.core.Refusal;

/** What became of one publish: stored, taken but awaited by nobody, or refused with a reason. */
sealed interface PublishOutcome {

    /** Committed; a QoS 1 publish gets its PUBACK. */
    record Stored() implements PublishOutcome {
    }

    /** A command answer for a command no longer waiting: nothing to store; acknowledged so the device stops resending. */
    record NobodyWaiting() implements PublishOutcome {
    }

    record Refused(Refusal refusal) implements PublishOutcome {
        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    PublishOutcome STORED = new Stored();
    PublishOutcome NOBODY_WAITING = new NobodyWaiting();

    static PublishOutcome refused(Refusal refusal) {
        return new Refused(refusal);
    }
}
