package org.aioloop.api.device;

/**
 * The life cycle of an attached device, as shells and monitors show it.
 */
public enum DeviceState {
    /** Waiting for its context (not created yet) or for the home thread to attach it. */
    PENDING,
    /** Attached and running. */
    ATTACHED,
    /** Detached after its service went away. */
    DETACHED,
    /** Detached because attach or a callback threw. */
    FAILED
}
