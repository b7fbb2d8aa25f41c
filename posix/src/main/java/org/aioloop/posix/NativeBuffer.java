package org.aioloop.posix;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A block of native memory with a direct {@link ByteBuffer} view in native byte order, allocated
 * once and reused (a pollfd array, an epoll event array, a timespec). Reading and writing through the
 * view is cheap and allocation-free; {@link #address()} is what the {@link Posix} wrappers take.
 *
 * <p>Not thread-safe. {@link #close()} frees the memory at once (not at garbage collection); using
 * the buffer afterwards is a bug.
 */
public final class NativeBuffer implements AutoCloseable {
    private final Memory memory;
    private final ByteBuffer bytes;
    private final long address;
    private final int size;
    private boolean closed;

    private NativeBuffer(int size) {
        this.memory = new Memory(size);
        memory.clear();
        this.bytes = memory.getByteBuffer(0, size).order(ByteOrder.nativeOrder());
        this.address = Pointer.nativeValue(memory);
        this.size = size;
    }

    /**
     * @param size the size in bytes, &gt; 0
     * @return a zero-filled buffer
     */
    public static NativeBuffer allocate(int size) {
        if (size <= 0) {
            throw new IllegalArgumentException("native buffer size must be > 0: " + size);
        }
        return new NativeBuffer(size);
    }

    /**
     * @return the native address of the first byte
     */
    public long address() {
        return address;
    }

    /**
     * @return the size in bytes
     */
    public int size() {
        return size;
    }

    /**
     * @return the view (native byte order); use absolute get/put so its position does not matter
     */
    public ByteBuffer bytes() {
        return bytes;
    }

    /**
     * @param offset a byte offset
     * @return the int at {@code offset}
     */
    public int getInt(int offset) {
        return bytes.getInt(offset);
    }

    /**
     * @param offset a byte offset
     * @param value  the int to store
     */
    public void putInt(int offset, int value) {
        bytes.putInt(offset, value);
    }

    /**
     * @param offset a byte offset
     * @return the short at {@code offset}
     */
    public short getShort(int offset) {
        return bytes.getShort(offset);
    }

    /**
     * @param offset a byte offset
     * @param value  the short to store
     */
    public void putShort(int offset, short value) {
        bytes.putShort(offset, value);
    }

    /**
     * @param offset a byte offset
     * @return the long at {@code offset}
     */
    public long getLong(int offset) {
        return bytes.getLong(offset);
    }

    /**
     * @param offset a byte offset
     * @param value  the long to store
     */
    public void putLong(int offset, long value) {
        bytes.putLong(offset, value);
    }

    /**
     * @param offset a byte offset
     * @return the byte at {@code offset}
     */
    public byte getByte(int offset) {
        return bytes.get(offset);
    }

    /**
     * @param offset a byte offset
     * @param value  the byte to store
     */
    public void putByte(int offset, byte value) {
        bytes.put(offset, value);
    }

    /**
     * Copies {@code length} bytes from the start of this buffer to the start of {@code target}.
     *
     * @param target the destination
     * @param length the number of bytes
     */
    public void copyTo(NativeBuffer target, int length) {
        ByteBuffer src = bytes.duplicate();
        src.position(0).limit(length);
        ByteBuffer dst = target.bytes.duplicate();
        dst.position(0);
        dst.put(src);
    }

    /** Frees the native memory; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            memory.close();
        }
    }
}
