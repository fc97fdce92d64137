package io.raylane.rayclient.wire;

/** {@code driver_info} of a JobDetails; {@code pid} is a string in Ray's answer. */
public record RayDriverInfo(String id, String nodeIpAddress, String pid) {
}
