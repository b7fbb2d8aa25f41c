/**
 * Thin, typed libc wrappers for aioloop (JNA direct mapping, Linux, 64-bit).
 *
 * <p>Rules that hold for the whole package: arguments are primitives or raw native addresses
 * ({@code long}); errno is read with {@code Native.getLastError()} right after the call and turned
 * into {@link org.aioloop.api.NativeCallException} naming the call, the errno symbol and the fd; the
 * calls a loop makes on every iteration ({@code read}/{@code write} of notifiers, {@code ppoll},
 * {@code epoll_wait}/{@code epoll_pwait2}) allocate nothing on the Java heap.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.aioloop.posix;
