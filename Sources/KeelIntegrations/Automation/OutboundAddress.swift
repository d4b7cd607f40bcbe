import Foundation
import KeelCore
#if canImport(Glibc)
import Glibc
#endif

/// Which outbound URLs Keel may call. Webhook and connector URLs come from users, so a URL whose host is (or
/// resolves to) a loopback, private, link-local, shared or unspecified address is refused unless an admin allowed
/// private targets for it: otherwise anyone who may add a webhook could make Keel probe its own network (SSRF).
public enum OutboundAddress {
    /// Checks the URL and every address its host resolves to; throws 422 with the reason.
    public static func check(_ text: String, allowPrivate: Bool) throws(KeelError) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = url.host, !host.isEmpty else {
            throw refusal("\(text) is not an http(s) URL.")
        }
        guard url.user == nil, url.password == nil else { throw refusal("Put credentials in the signing secret, not in the URL.") }
        if allowPrivate { return }
        let addresses = resolve(host)
        guard !addresses.isEmpty else { throw refusal("\(host) does not resolve to an address.") }
        if let blocked = addresses.first(where: isPrivate) {
            throw refusal("\(host) is \(blocked), a loopback or private-network address; an admin must allow private targets for this endpoint.")
        }
    }

    static func refusal(_ message: String) -> KeelError {
        KeelError.validation([Violation(field: "url", code: "url_refused", message: message)])
    }

    /// The numeric addresses of a host name (or the literal itself).
    public static func resolve(_ host: String) -> [String] {
        let name = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(name, nil, &hints, &result) == 0, let first = result else { return [] }
        defer { freeaddrinfo(first) }
        var out: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(info.pointee.ai_addr, info.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                out.append(String(cString: buffer))
            }
            node = info.pointee.ai_next
        }
        return Array(Set(out)).sorted()
    }

    /// Loopback, private (RFC 1918, ULA), link-local (incl. cloud metadata 169.254.169.254), shared (100.64/10),
    /// unspecified, multicast and broadcast addresses, in IPv4, IPv6 and IPv4-mapped IPv6 form.
    public static func isPrivate(_ address: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, address, &v4) == 1 {
            return isPrivateV4(withUnsafeBytes(of: v4.s_addr) { Array($0) })
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, address.split(separator: "%").first.map(String.init) ?? address, &v6) == 1 else { return true }
        let b = withUnsafeBytes(of: v6) { Array($0) }
        if b[0..<10].allSatisfy({ $0 == 0 }), b[10] == 0xff, b[11] == 0xff { return isPrivateV4(Array(b[12..<16])) }
        if b.allSatisfy({ $0 == 0 }) { return true }                       // ::
        if b[0..<15].allSatisfy({ $0 == 0 }) && b[15] == 1 { return true } // ::1
        if b[0] & 0xfe == 0xfc { return true }                            // fc00::/7
        if b[0] == 0xfe && b[1] & 0xc0 == 0x80 { return true }            // fe80::/10
        if b[0] == 0xff { return true }                                    // multicast
        return false
    }

    static func isPrivateV4(_ b: [UInt8]) -> Bool {
        switch (b[0], b[1]) {
        case (0, _), (10, _), (127, _): true
        case (100, 64...127): true
        case (169, 254): true
        case (172, 16...31): true
        case (192, 168): true
        case (192, 0) where b[2] == 0: true
        case (198, 18...19): true
        case (224..., _): true
        default: false
        }
    }
}
