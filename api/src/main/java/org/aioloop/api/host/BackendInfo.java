package org.aioloop.api.host;

import java.util.List;

/**
 * A backend as a host reports it.
 *
 * @param name              its name
 * @param rank              its preference rank
 * @param available         whether it works here
 * @param unavailableReason why not, or null
 * @param usedBy            the contexts on it now
 */
public record BackendInfo(String name, int rank, boolean available, String unavailableReason,
        List<String> usedBy) {
}
