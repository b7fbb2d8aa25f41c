/**
 * A file-backed block device and its request API: {@link org.aioloop.plugin.block.BlockFileDevice}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.aioloop.plugin.block;
