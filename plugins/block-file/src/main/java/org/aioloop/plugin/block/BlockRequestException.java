package org.aioloop.plugin.block;

import org.aioloop.api.AioException;

/**
 * A block request was refused or failed: bad arguments, a read-only device, a full queue, or an I/O
 * error of the backing file. Names the device (and the file where it matters).
 */
public class BlockRequestException extends AioException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong, naming the device
     */
    public BlockRequestException(String message) {
        super(message);
    }

    /**
     * @param message what went wrong, naming the device
     * @param cause   the underlying failure
     */
    public BlockRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
