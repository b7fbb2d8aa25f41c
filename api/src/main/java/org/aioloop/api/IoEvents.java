package org.aioloop.api;

/**
 * Event mask bits for fd readiness. The values are those of {@code poll(2)}, which are also those of
 * {@code epoll(7)} for the bits used here, so backends pass them through unchanged.
 *
 * <p>All readiness in aioloop is <em>level-triggered</em>: an fd that stays ready is reported again
 * on every wait until the condition is cleared (QEMU: "The callbacks that are set up by
 * qemu_set_fd_handler are level-triggered").
 */
public final class IoEvents {
    /** Data to read ({@code POLLIN}, {@code EPOLLIN}). */
    public static final int IN = 0x001;
    /** Urgent data to read ({@code POLLPRI}). */
    public static final int PRI = 0x002;
    /** Writing will not block ({@code POLLOUT}). */
    public static final int OUT = 0x004;
    /** Error condition; reported whether asked for or not ({@code POLLERR}). */
    public static final int ERR = 0x008;
    /** Hang up; reported whether asked for or not ({@code POLLHUP}). */
    public static final int HUP = 0x010;
    /** Invalid request: the fd is not open ({@code POLLNVAL}; poll(2) only). */
    public static final int NVAL = 0x020;

    /** The bits a caller may ask for in an interest mask. */
    public static final int INTEREST_MASK = IN | PRI | OUT | ERR | HUP;

    /** What a read handler runs on, as QEMU's {@code io_read}: IN, HUP or ERR. */
    public static final int READ_READY = IN | HUP | ERR;
    /** What a write handler runs on, as QEMU's {@code io_write}: OUT or ERR. */
    public static final int WRITE_READY = OUT | ERR;

    private IoEvents() {
    }

    /**
     * Renders a mask for people, e.g. {@code "IN|HUP"}; {@code "0"} for none.
     *
     * @param mask an event mask
     * @return a readable form
     */
    public static String describe(int mask) {
        if (mask == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        append(sb, mask, IN, "IN");
        append(sb, mask, PRI, "PRI");
        append(sb, mask, OUT, "OUT");
        append(sb, mask, ERR, "ERR");
        append(sb, mask, HUP, "HUP");
        append(sb, mask, NVAL, "NVAL");
        int rest = mask & ~(IN | PRI | OUT | ERR | HUP | NVAL);
        if (rest != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, int mask, int bit, String name) {
        if ((mask & bit) != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append(name);
        }
    }
}
