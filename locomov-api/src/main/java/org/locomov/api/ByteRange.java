package org.locomov.api;

/**
 * The one byte range of an HTTP {@code Range} header (RFC 9110 §14): {@code bytes=first-last},
 * {@code bytes=first-} or {@code bytes=-suffixLength}, clipped to the resource. No header, or one that is not a
 * single byte range (several ranges, another unit), means the whole resource, as RFC 9110 allows.
 *
 * @param partial false for the whole resource (answered 200), true for a range (206)
 */
record ByteRange(long first, long last, boolean partial) {

    /** A range that starts beyond the resource: 416. */
    static final class Unsatisfiable extends Exception {
        Unsatisfiable(String message) {
            super(message, null, false, false);
        }
    }

    long length() {
        return last - first + 1;
    }

    static ByteRange parse(String header, long size) throws Unsatisfiable {
        ByteRange whole = new ByteRange(0, size - 1, false);
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return whole;
        }
        String spec = header.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return whole;
        }
        try {
            String from = spec.substring(0, dash).strip();
            String to = spec.substring(dash + 1).strip();
            if (from.isEmpty()) {
                long suffix = Long.parseLong(to);
                if (suffix <= 0) {
                    throw new Unsatisfiable("the range " + header + " asks for no bytes");
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1, true);
            }
            long first = Long.parseLong(from);
            long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
            if (first >= size) {
                throw new Unsatisfiable("the range " + header + " starts beyond the image's " + size + " bytes");
            }
            if (last < first) {
                return whole; // invalid range: ignored, as RFC 9110 says
            }
            return new ByteRange(first, last, true);
        } catch (NumberFormatException e) {
            return whole;
        }
    }
}
