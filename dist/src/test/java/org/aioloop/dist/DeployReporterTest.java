package org.aioloop.dist;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class DeployReporterTest {
    private final DeployReporter reporter = new DeployReporter(Path.of("/opt/aio/deploy"),
            new Messages(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false));

    @Test
    void recognisesFileInstallLocationsInTheDeployFolder() {
        assertTrue(reporter.fromDeploy("file:/opt/aio/deploy/x.jar"));
        assertTrue(reporter.fromDeploy("file:///opt/aio/deploy/x.jar"));
        assertTrue(reporter.fromDeploy("jardir:/opt/aio/deploy/exploded"), "FileInstall's exploded jars");
    }

    @Test
    void ignoresEverythingElse() {
        assertFalse(reporter.fromDeploy("file:/opt/aio/bundles/api.jar"));
        assertFalse(reporter.fromDeploy("file:/opt/aio/deployed/x.jar"), "a sibling with the same prefix");
        assertFalse(reporter.fromDeploy("file:///opt/aio/deployed/x.jar"), "a sibling, as a URI");
        assertFalse(reporter.fromDeploy("System Bundle"));
    }

    @Test
    void aFailureDescribesBundlePhaseAndEveryReasonLine() {
        String text = new BundleFailure("org.x 1.0.0 (x.jar)", "resolve", "missing requirement\ncaused by y")
                .describe();
        assertTrue(text.startsWith("ERROR: bundle org.x 1.0.0 (x.jar) failed to resolve:"), text);
        assertTrue(text.contains("    missing requirement") && text.contains("    caused by y"), text);
    }
}
