package org.locomov.mov;

import java.util.Objects;
import org.locomov.core.Refusal;

/**
 * The one line a listener sends back for one packet: {@code Thank you.\n} once the packet is
 * committed, or {@code Error: <reason>\n} when it was refused.
 */
public sealed interface Reply permits Reply.ThankYou, Reply.Refused {

    /** The acknowledgement the original server sent and the device firmware waits for. */
    Reply THANK_YOU = new ThankYou();

    /** The refusal of a packet, as its reply. */
    static Reply refused(Refusal refusal) {
        return new Refused(refusal);
    }

    /** The bytes to send, as text ending in a newline. */
    String line();

    /** True when the connection is closed once the line is written. */
    boolean closesConnection();

    /** The packet is committed to PostgreSQL. */
    record ThankYou() implements Reply {

        @Override
        public String line() {
            return "Thank you.\n";
        }

        @Override
        public boolean closesConnection() {
            return false;
        }
    }

    /** The packet was not stored, and why. */
    record Refused(Refusal refusal) implements Reply {

        public Refused {
            Objects.requireNonNull(refusal, "refusal");
        }

        @Override
        public String line() {
            return "Error: " + refusal.reason() + "\n";
        }

        @Override
        public boolean closesConnection() {
            return refusal.closesConnection();
        }
    }
}
