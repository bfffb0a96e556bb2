package dev.steadfast.example.orders;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** The operator's generated password: made once, kept in a file only its owner may read, the same after a restart. */
final class OpsPassword {
    private OpsPassword() {
    }

    static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            String kept = Files.readString(file).strip();
            if (!kept.isEmpty()) {
                return kept;
            }
            Files.delete(file);
        }
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.exists(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            return readOrCreate(file); // another instance made it first
        }
        Files.writeString(file, password + "\n");
        return password;
    }
}
