/**
 * Test support for device authors: run a device on a real context and see what it holds.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.plugin.testkit;
