package org.locomov.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyTest {

    @Test
    void firstOpenCreatesAnOwnerOnlyFileThatLaterOpensRead(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tls/master.key");

        MasterKey created = MasterKey.openOrCreate(file, true);
        MasterKey reopened = MasterKey.openOrCreate(file, true);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(reopened.id()).isEqualTo(created.id());
        byte[] sealed = created.seal("secret".getBytes(StandardCharsets.UTF_8), "row a");
        assertThat(new String(reopened.open(sealed, "row a"), StandardCharsets.UTF_8)).isEqualTo("secret");
        assertThat(dir.resolve("tls")).isDirectoryNotContaining("glob:**.tmp");
    }

    @Test
    void anotherKeyOrAnotherRowCannotOpenWhatWasSealed() throws Exception {
        MasterKey key = MasterKey.of(new byte[32]);
        byte[] other = new byte[32];
        other[0] = 1;
        byte[] sealed = key.seal(new byte[] {1, 2, 3}, "row a");

        assertThatThrownBy(() -> MasterKey.of(other).open(sealed, "row a"))
                .isInstanceOf(SealedKeyException.class).hasMessageContaining("not sealed with master key");
        assertThatThrownBy(() -> key.open(sealed, "row b")).isInstanceOf(SealedKeyException.class);
        assertThat(sealed).hasSize(12 + 3 + 16);
    }

    @Test
    void aFileThatHoldsNoKeyIsRefusedSayingWhatItMustHold(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("short.key");
        Files.writeString(file, "c2hvcnQ=\n");

        assertThatThrownBy(() -> MasterKey.openOrCreate(file, false))
                .isInstanceOf(CertificateFileException.class).hasMessageContaining("must hold 32");
        assertThatThrownBy(() -> MasterKey.openOrCreate(dir.resolve("missing.key"), false))
                .isInstanceOf(CertificateFileException.class).hasMessageContaining("does not exist");
    }
}
