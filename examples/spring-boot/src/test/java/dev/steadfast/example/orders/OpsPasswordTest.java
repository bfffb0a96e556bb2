package dev.steadfast.example.orders;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated operator password lives in an owner-only file, never in the log. */
@ExtendWith(OutputCaptureExtension.class)
class OpsPasswordTest {
    @TempDir
    Path dir;

    @Test
    void theGeneratedPasswordIsKeptOwnerOnlyAndNeverLogged(CapturedOutput output) throws Exception {
        Path file = dir.resolve("home").resolve("example-ops-password");
        var users = new SecurityConfiguration().operators("", file);
        String password = Files.readString(file).strip();
        assertThat(password).hasSize(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(users.loadUserByUsername("ops").getPassword()).isEqualTo("{noop}" + password);
        assertThat(output.getAll()).contains(file.toAbsolutePath().toString()).doesNotContain(password);

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(OpsPassword.readOrCreate(file)).as("the same after a restart").isEqualTo(password);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
