package org.aioloop.api.device;

import java.util.List;

/**
 * A device as a host reports it.
 *
 * @param name      the device's name
 * @param context   the context it asked for
 * @param state     its state
 * @param failure   the failure text when FAILED, else null
 * @param resources what it holds now
 * @param leaked    what it left behind at its last detach
 */
public record DeviceInfo(String name, String context, DeviceState state, String failure,
        List<String> resources, List<String> leaked) {
}
