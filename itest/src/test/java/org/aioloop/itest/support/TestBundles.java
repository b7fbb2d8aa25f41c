package org.aioloop.itest.support;

import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.ops4j.pax.exam.Option;
import org.ops4j.pax.tinybundles.TinyBundle;
import org.ops4j.pax.tinybundles.TinyBundles;
import org.osgi.framework.BundleActivator;

/**
 * Builds test bundles with TinyBundles from classes of the test sources, <em>outside</em> the
 * framework (call it from a {@code @Configuration} method: TinyBundles and bnd are on the test class
 * path, not in the container). Each bundle is written to a jar under {@code target/test-bundles}
 * and its location handed to the probe as a system property, so a test can install, update and
 * uninstall it as often as it likes:
 *
 * <pre>{@code
 * @Configuration public Option[] config() {
 *     return withBundles(TestBundles.build("itest.worker", WorkerActivator.class));
 * }
 * ... Bundle b = context.installBundle(TestBundles.location("itest.worker"));
 * }</pre>
 *
 * <p>The classes' package becomes the bundle's private package; bnd computes the imports.
 */
public final class TestBundles {
    private static final String PROPERTY_PREFIX = "itest.testbundle.";

    private TestBundles() {
    }

    /**
     * Builds a bundle with an activator.
     *
     * @param symbolicName its Bundle-SymbolicName (also the jar's name)
     * @param activator    its activator; its whole package is the bundle's content
     * @param more         more classes to add
     * @return the option that tells the probe where the jar is (see {@link #location(String)})
     */
    public static Option build(String symbolicName, Class<? extends BundleActivator> activator, Class<?>... more) {
        TinyBundle tb = TinyBundles.bundle()
                .symbolicName(symbolicName)
                .setHeader("Bundle-Version", "1.0.0")
                .setHeader("Private-Package", activator.getPackageName())
                .activator(activator)
                .addClass(activator);
        for (Class<?> c : more) {
            tb.addClass(c);
        }
        Path jar = outputDir().resolve(symbolicName + ".jar");
        try (InputStream in = tb.build(TinyBundles.bndBuilder())) {
            Files.createDirectories(jar.getParent());
            Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write test bundle " + jar, e);
        }
        return systemProperty(PROPERTY_PREFIX + symbolicName).value(jar.toUri().toString());
    }

    /**
     * Inside the framework: the location to install a bundle built by {@link #build}.
     *
     * @param symbolicName the name given to {@code build}
     * @return a {@code file:} URI
     * @throws IllegalStateException if the configuration did not build it
     */
    public static String location(String symbolicName) {
        String location = System.getProperty(PROPERTY_PREFIX + symbolicName);
        if (location == null) {
            throw new IllegalStateException("test bundle " + symbolicName
                    + " was not built: add TestBundles.build(\"" + symbolicName + "\", ...) to the @Configuration");
        }
        return location;
    }

    private static Path outputDir() {
        return Path.of(System.getProperty("itest.test.bundles", "target/test-bundles")).toAbsolutePath();
    }
}
