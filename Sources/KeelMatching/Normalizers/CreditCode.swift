/// The unified social credit code (统一社会信用代码, GB 32100-2015): 18 characters whose last is a check character.
public enum CreditCode {
    static let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    /// Upper-cases and removes spaces, so "91110000 600037341l" becomes "91110000600037341L".
    public static func normalize(_ raw: String) -> String {
        String(raw.uppercased().filter { !$0.isWhitespace })
    }

    /// The check character for the first 17 characters, or nil when one of them is outside the alphabet.
    public static func checkCharacter(for body: some Collection<Character>) -> Character? {
        var sum = 0
        for (char, weight) in zip(body, weights) {
            guard let index = alphabet.firstIndex(of: char) else { return nil }
            sum += index * weight
        }
        return alphabet[(31 - sum % 31) % 31]
    }

    public static func isValid(_ code: String) -> Bool {
        let chars = Array(code)
        guard chars.count == 18, let last = chars.last, alphabet.contains(last) else { return false }
        return checkCharacter(for: chars.prefix(17)) == last
    }
}
