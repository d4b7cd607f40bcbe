import Foundation

/// What a new password must be: 8 to 64 characters, no control characters (a NUL would cut it short in some
/// libraries), not one of the passwords attackers try first, and not the user's own e-mail or name.
public enum PasswordRules {
    public static let length = 8...64

    /// Every reason `password` is refused for the user with `email` and `name`; empty when it is fine.
    public static func violations(_ password: String, email: String, name: String?) -> [Violation] {
        var out: [Violation] = []
        func refuse(_ code: String, _ message: String) { out.append(Violation(field: "password", code: code, message: message)) }
        if password.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            refuse("control_characters", "A password cannot hold control characters (such as NUL, tab or line breaks).")
        }
        if !length.contains(password.count) { refuse("invalid_length", "A password has 8 to 64 characters.") }
        let folded = password.lowercased()
        let own = [email, String(email.split(separator: "@").first ?? ""), name ?? ""].map { $0.lowercased().trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if own.contains(folded.trimmingCharacters(in: .whitespaces)) {
            refuse("personal_password", "A password cannot be your own e-mail address or name.")
        } else if isGuessable(folded) {
            refuse("common_password", "This password is among the first that attackers try; choose a longer phrase of your own.")
        }
        return out
    }

    /// One character repeated (eight spaces too), a run of digits or letters up or down, a keyboard row, or a listed one.
    static func isGuessable(_ folded: String) -> Bool {
        let scalars = folded.unicodeScalars.map(\.value)
        if Set(scalars).count <= 2 { return true }
        let steps = Set(zip(scalars, scalars.dropFirst()).map { Int64($1) - Int64($0) })
        if steps == [1] || steps == [-1] { return true }
        let rows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv", "qazwsxedcrfv", "zaq12wsxcde3"]
        if rows.contains(where: { $0.contains(folded) || String($0.reversed()).contains(folded) }) { return true }
        return common.contains(folded)
    }

    /// Passwords of 8 characters and more that lead the published lists of leaked passwords, in English and Chinese
    /// use (pinyin names, 我爱你 numbers, phone-pad patterns). Shorter ones are refused by length already.
    static let common: Set<String> = [
        "password", "password1", "password12", "password123", "passw0rd", "p@ssw0rd", "p@ssword", "iloveyou", "iloveyou1",
        "12345678", "123456789", "1234567890", "87654321", "987654321", "11111111", "00000000", "88888888", "66666666",
        "11223344", "12341234", "12121212", "11112222", "12344321", "147258369", "159357258", "741852963", "123123123",
        "qwertyui", "qwerty123", "qwerty12", "1q2w3e4r", "1q2w3e4r5t", "1qaz2wsx", "qazwsxedc", "qweasdzxc", "zaq12wsx",
        "1qazxsw2", "12qwaszx", "asdf1234", "qwer1234", "abcd1234", "abc12345", "abc123456", "a1234567", "a12345678",
        "a123456789", "aa123456", "aa12345678", "qq123456", "q1w2e3r4", "z1x2c3v4", "1a2b3c4d", "abcdefgh", "abcdefg1",
        "sunshine", "princess", "football", "baseball", "superman", "starwars", "whatever", "trustno1", "jennifer",
        "michelle", "computer", "internet", "shadow12", "master12", "michael1", "jordan23", "liverpool", "chelsea1",
        "welcome1", "welcome123", "letmein1", "changeme", "changeme1", "admin123", "admin1234", "administrator",
        "root1234", "test1234", "testtest", "guest123", "default1", "secret12", "monkey12", "dragon12", "freedom1",
        "woaini1314", "woaini520", "5201314520", "13145201314", "52013145", "1314520520", "wangyang", "zhangwei",
        "wangjing", "liuyang1", "iloveyou520", "huawei123", "xiaomi123", "qwertyuiop", "asdfghjkl", "zxcvbnm1",
        "zxcvbnm123", "aaaa1111", "aaaa8888", "a1b2c3d4", "password!", "keel1234", "crm12345", "crm123456",
    ]
}
