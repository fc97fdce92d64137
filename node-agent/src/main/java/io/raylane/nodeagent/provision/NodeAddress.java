package io.raylane.nodeagent.provision;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Turns a NodeSpec's host into the IP literal {@code ray start --node-ip-address} gets
 * (issue 11): Ray advertises that value to every other node and to the observer as is, so
 * a host name there would be resolved again elsewhere, differently or not at all. The
 * name is looked up once, here, where the node-agent also reaches the node; an IPv4
 * address wins over an IPv6 one, as Ray's own detection prefers it.
 */
public final class NodeAddress {

	/** How a host name becomes addresses; the system resolver outside tests. */
	@FunctionalInterface
	public interface Resolver {

		InetAddress[] resolve(String host) throws UnknownHostException;

		Resolver SYSTEM = InetAddress::getAllByName;

	}

	private NodeAddress() {
	}

	/**
	 * The node's IP.
	 * @throws UnknownHostException when the host has no address; the message names it
	 */
	public static InetAddress of(String host, Resolver resolver) throws UnknownHostException {
		InetAddress[] addresses;
		try {
			addresses = resolver.resolve(host);
		}
		catch (UnknownHostException ex) {
			throw new UnknownHostException("cannot resolve host '" + host + "' to an IP address"
					+ ((ex.getMessage() != null && !ex.getMessage().equals(host)) ? ": " + ex.getMessage() : ""));
		}
		if (addresses == null || addresses.length == 0) {
			throw new UnknownHostException("cannot resolve host '" + host + "' to an IP address: no address");
		}
		for (InetAddress address : addresses) {
			if (address instanceof Inet4Address) {
				return address;
			}
		}
		return addresses[0];
	}

}
