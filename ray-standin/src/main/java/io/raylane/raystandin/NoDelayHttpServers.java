package io.raylane.raystandin;

import java.io.IOException;
import java.net.InetSocketAddress;

import com.sun.net.httpserver.HttpServer;

/**
 * The stand-in's HTTP servers, with Nagle's algorithm off. The JDK's server writes a
 * response's headers and body in two segments; with Nagle on, the body waits for the
 * client's delayed ACK of the headers, about 40 ms on Linux, on every call (issue 17: the
 * submitter's submit, the archive's log reads and deletes, the observer's lists each took
 * 40 ms longer than the head's work). Ray's own dashboard (aiohttp) sets TCP_NODELAY. The
 * JDK reads {@code sun.net.httpserver.nodelay} once, when its first server is created in
 * the JVM, so it is set here, before the stand-in creates one, unless the command line
 * set it.
 */
final class NoDelayHttpServers {

	static final String NODELAY = "sun.net.httpserver.nodelay";

	private NoDelayHttpServers() {
	}

	static HttpServer create(InetSocketAddress address, int backlog) throws IOException {
		if (System.getProperty(NODELAY) == null) {
			System.setProperty(NODELAY, "true");
		}
		return HttpServer.create(address, backlog);
	}

}
