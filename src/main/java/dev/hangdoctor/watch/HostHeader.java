package dev.hangdoctor.watch;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Whether a request's Host header names this agent: {@code localhost}, a loopback address, or the address it listens
 * on; on a wildcard address, any IP address literal. A DNS name other than localhost is refused, so a web page whose
 * name rebinds to 127.0.0.1 cannot read the API. Literals are parsed as literals (a dotted quad of four decimal
 * numbers up to 255, or an IPv6 address in brackets), never resolved: {@code bad.cafe} is a name, not an address.
 */
final class HostHeader {
    private HostHeader() {
    }

    /** True when {@code host} (the header's value, null when absent: HTTP/1.0) may reach an agent bound to {@code bound}. */
    static boolean allowed(String host, InetSocketAddress bound) {
        if (host == null) {
            return true;
        }
        String name;
        if (host.startsWith("[")) {
            int close = host.indexOf(']');
            if (close < 0 || !portOrNothing(host.substring(close + 1))) {
                return false;
            }
            name = host.substring(0, close + 1);
        } else {
            int colon = host.indexOf(':');
            if (colon >= 0 && !portOrNothing(host.substring(colon))) {
                return false;
            }
            name = colon >= 0 ? host.substring(0, colon) : host;
        }
        if (name.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        InetAddress literal = literal(name);
        if (literal == null) {
            return false;
        }
        if (literal.isLoopbackAddress()) {
            return true;
        }
        InetAddress listening = bound == null ? null : bound.getAddress();
        if (listening == null) {
            return false;
        }
        return listening.isAnyLocalAddress() || listening.equals(literal);
    }

    /** ":PORT" (1 to 5 digits) or nothing. */
    private static boolean portOrNothing(String s) {
        return s.isEmpty() || s.matches(":[0-9]{1,5}");
    }

    /** The address a literal names, or null when {@code name} is not one (then it would need DNS). */
    static InetAddress literal(String name) {
        try {
            if (name.startsWith("[") && name.endsWith("]")) {
                String inner = name.substring(1, name.length() - 1);
                // only hex digits, colons and an embedded dotted quad: no zone id, nothing a resolver would look up
                if (inner.isEmpty() || !inner.matches("[0-9A-Fa-f:.]+") || !inner.contains(":")) {
                    return null;
                }
                // with brackets the JDK parses an IPv6 literal or fails; it never resolves
                return InetAddress.getByName(name);
            }
            String[] parts = name.split("\\.", -1);
            if (parts.length != 4) {
                return null;
            }
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                if (!parts[i].matches("[0-9]{1,3}")) {
                    return null;
                }
                int v = Integer.parseInt(parts[i]);
                if (v > 255) {
                    return null;
                }
                b[i] = (byte) v;
            }
            return Inet4Address.getByAddress(b);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
