package org.locomov.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void readsANumberAndAUnit() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(converter.convert("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(converter.convert(" 30 S ")).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void readsIso8601() {
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"30", "ten seconds", "5 minutes", "-5s", "PTxS", "99999999999999999999d", ""})
    void refusesWhatIsNotADurationWithAnExample(String text) {
        assertThatThrownBy(() -> converter.convert(text))
                .isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("for example 10s");
    }

    @Test
    void aBadDurationOptionIsRefusedNamingTheOption() {
        CommandLines.Outcome outcome = CommandLines.execute(java.util.Map.of(), "serve", "--idle-timeout", "30");

        assertThat(outcome.status()).isEqualTo(Main.USAGE_ERROR);
        assertThat(outcome.err()).contains("--idle-timeout").contains("'30' is not a duration");
    }
}
