package org.aioloop.dist;

/**
 * A bundle the launcher could not bring up.
 *
 * @param bundle what failed: {@code bsn version (file)} or just the file name when it did not install
 * @param phase  {@code install}, {@code resolve} or {@code start}
 * @param reason the framework's explanation (missing requirement, activator exception, ...)
 */
public record BundleFailure(String bundle, String phase, String reason) {
    /**
     * @return the loud multi-line report printed at start-up
     */
    public String describe() {
        return "ERROR: bundle " + bundle + " failed to " + phase + ":" + System.lineSeparator()
                + "    " + reason.replace("\n", System.lineSeparator() + "    ");
    }
}
