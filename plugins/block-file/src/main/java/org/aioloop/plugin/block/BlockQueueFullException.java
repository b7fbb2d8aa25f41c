package org.aioloop.plugin.block;

/**
 * A request was refused because the device already has its queue depth in flight and its wait queue
 * is full. Nothing was started; try again after some requests completed.
 */
public class BlockQueueFullException extends BlockRequestException {
    private static final long serialVersionUID = 1L;

    /**
     * @param device   the device's name
     * @param inFlight requests in flight
     * @param queued   requests waiting
     */
    public BlockQueueFullException(String device, int inFlight, int queued) {
        super("block device '" + device + "': queue full (" + inFlight + " in flight, " + queued + " waiting)");
    }
}
