package dev.steadfast.cli.exec;

import java.util.List;

/** Signals a command and every process it started (the descendants known at that moment), and names its status. */
final class ProcessTrees {
    private ProcessTrees() {
    }

    /** SIGTERM to the command's whole tree, children first. */
    static void terminate(Process process) {
        List<ProcessHandle> tree = tree(process);
        tree.forEach(ProcessHandle::destroy);
    }

    /** SIGKILL to the command's whole tree. */
    static void kill(Process process) {
        List<ProcessHandle> tree = tree(process);
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    private static List<ProcessHandle> tree(Process process) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        java.util.Collections.reverse(tree);
        tree.add(process.toHandle());
        return tree;
    }

    /** {@code exit status 3}, or {@code killed by signal 9 (exit status 137)} for the JVM's 128+signal. */
    static String describe(int status) {
        return status > 128 && status < 160 ? "killed by signal " + (status - 128) + " (exit status " + status + ")"
                : "exit status " + status;
    }
}
