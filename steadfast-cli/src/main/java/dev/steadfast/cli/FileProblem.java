package dev.steadfast.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Why a file the user named could not be read, in words: "no such file", not {@code NoSuchFileException /x}. */
public final class FileProblem {
    private FileProblem() {}

    /** The reason, without the file's name (the caller says which file). */
    public static String of(IOException e) {
        if (e instanceof NoSuchFileException || e instanceof NotDirectoryException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.equals("Is a directory") ? "it is a directory" : message;
    }
}
