/**
 * The {@code aio:} Gogo commands and the plain-text reports behind them. Internal: not exported.
 */
package org.aioloop.core.shell;
