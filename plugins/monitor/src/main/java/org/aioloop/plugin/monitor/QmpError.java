package org.aioloop.plugin.monitor;

/**
 * A command failed in a way the client is told about: QMP's {@code {"error": {"class", "desc"}}}.
 * Thrown by commands and argument checks; the session turns it into the error reply.
 */
public final class QmpError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** QEMU's error class for most failures. */
    public static final String GENERIC = "GenericError";
    /** QEMU's error class for an unknown (or not yet allowed) command. */
    public static final String COMMAND_NOT_FOUND = "CommandNotFound";

    private final String errorClass;

    /**
     * @param errorClass the QMP error class, e.g. {@link #GENERIC}
     * @param desc       the description for people
     */
    public QmpError(String errorClass, String desc) {
        super(desc, null, false, false); // a protocol answer, not a bug: no stack trace
        this.errorClass = errorClass;
    }

    /**
     * @param desc the description
     * @return a {@link #GENERIC} error
     */
    public static QmpError generic(String desc) {
        return new QmpError(GENERIC, desc);
    }

    /**
     * @return the QMP error class
     */
    public String errorClass() {
        return errorClass;
    }
}
