import Crypto
import Foundation
import HummingbirdBcrypt

/// Stored passwords. bcrypt reads only the first 72 bytes of what it is given (24 Chinese characters) and stops at a
/// NUL, so a password is first hashed with SHA-256 and bcrypt gets that digest (44 base64 characters): every byte of
/// the password counts. Such hashes are stored with the prefix `sha256$`; hashes from before (bcrypt of the password
/// itself) keep working for passwords bcrypt reads whole.
enum PasswordHash {
    static let prefix = "sha256$"

    static func make(_ password: String, cost: UInt8) -> String {
        prefix + Bcrypt.hash(digest(password), cost: cost)
    }

    static func verify(_ password: String, hash: String) -> Bool {
        if hash.hasPrefix(prefix) { return Bcrypt.verify(digest(password), hash: String(hash.dropFirst(prefix.count))) }
        // An older hash: only a password bcrypt read whole can match it.
        guard password.utf8.count <= 72, !password.utf8.contains(0) else { return false }
        return Bcrypt.verify(password, hash: hash)
    }

    static func digest(_ password: String) -> String {
        Data(SHA256.hash(data: Data(password.utf8))).base64EncodedString()
    }
}
