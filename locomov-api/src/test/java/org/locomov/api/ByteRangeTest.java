package org.locomov.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void noHeaderIsTheWholeImage() throws Exception {
        assertThat(ByteRange.parse(null, 100)).isEqualTo(new ByteRange(0, 99, false));
    }

    @Test
    void closedOpenAndSuffixRangesAreClippedToTheImage() throws Exception {
        assertThat(ByteRange.parse("bytes=10-19", 100)).isEqualTo(new ByteRange(10, 19, true));
        assertThat(ByteRange.parse("bytes=90-", 100)).isEqualTo(new ByteRange(90, 99, true));
        assertThat(ByteRange.parse("bytes=90-500", 100)).isEqualTo(new ByteRange(90, 99, true));
        assertThat(ByteRange.parse("bytes=-10", 100)).isEqualTo(new ByteRange(90, 99, true));
        assertThat(ByteRange.parse("bytes=-500", 100)).isEqualTo(new ByteRange(0, 99, true));
    }

    @Test
    void aRangeStartingBeyondTheImageIsUnsatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=100-", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 100)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void severalRangesOtherUnitsAndNonsenseAreIgnoredForTheWholeImage() throws Exception {
        ByteRange whole = new ByteRange(0, 99, false);
        assertThat(ByteRange.parse("bytes=0-1,5-6", 100)).isEqualTo(whole);
        assertThat(ByteRange.parse("items=0-1", 100)).isEqualTo(whole);
        assertThat(ByteRange.parse("bytes=x-y", 100)).isEqualTo(whole);
        assertThat(ByteRange.parse("bytes=20-10", 100)).isEqualTo(whole);
    }
}
