package org.aioloop.api.device;

import org.aioloop.api.AioContext;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A device a plugin bundle provides: a whiteboard service that the core attaches to the context it
 * names, on that context's home thread, and detaches when the service goes away (bundle stop,
 * update, uninstall) or when one of its callbacks throws.
 *
 * <p>The device registers everything through the {@link DeviceContext} it is given; after
 * {@link #detach}, the core releases whatever is left and reports it as a leak, naming the device.
 */
@ConsumerType
public interface DeviceHandler {
    /** Service property naming the context to attach to (String; default {@link AioContext#MAIN}). */
    String PROP_CONTEXT = "aioloop.context";
    /** Service property naming the device (String; default {@link #name()}). */
    String PROP_NAME = "aioloop.device";

    /**
     * @return the device's name, unique in a host
     */
    String name();

    /**
     * Starts the device on the home thread of the context it asked for.
     *
     * @param context the recording view of that context
     * @throws Exception if the device cannot start; it is marked failed and its registrations are
     *                   released
     */
    void attach(DeviceContext context) throws Exception;

    /**
     * Stops the device on the home thread. Release what you registered; the core releases the rest.
     *
     * @param context the same view given to {@link #attach}
     */
    void detach(DeviceContext context);
}
