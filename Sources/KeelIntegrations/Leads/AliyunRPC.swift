import Crypto
import Foundation
import KeelCore

/// Aliyun's RPC-style API as documented for 短信服务 (`SendSms`, version 2017-05-25) and 语音服务
/// (`SingleCallByTts`, version 2017-05-25): the common parameters (AccessKeyId, Format, SignatureMethod HMAC-SHA1,
/// SignatureNonce, SignatureVersion 1.0, Timestamp in UTC, Version, Action), sorted by name and each percent-encoded
/// (RFC 3986: space %20, `*` %2A, `~` kept), joined as the canonical query; the string to sign is
/// `METHOD&%2F&` + the encoded query, signed by HMAC-SHA1 keyed with the secret and "&", base64. The request is a form
/// POST; the answer's `Code` is "OK" on success.
public enum AliyunRPC {
    /// The form body of a signed request.
    public static func form(action: String, version: String, parameters: [String: String], accessKeyID: String, secret: String,
                            at date: Date, nonce: String = UUID().uuidString, method: String = "POST") -> String {
        var all = parameters
        all["Action"] = action
        all["Version"] = version
        all["AccessKeyId"] = accessKeyID
        all["Format"] = all["Format"] ?? "JSON"
        all["SignatureMethod"] = "HMAC-SHA1"
        all["SignatureVersion"] = "1.0"
        all["SignatureNonce"] = nonce
        all["Timestamp"] = timestamp(date)
        let query = canonical(all)
        all["Signature"] = signature(query, secret: secret, method: method)
        return canonical(all)
    }

    /// The parameters sorted by name, each name and value encoded, as `a=1&b=2`.
    public static func canonical(_ parameters: [String: String]) -> String {
        parameters.keys.sorted().map { "\(encode($0))=\(encode(parameters[$0]!))" }.joined(separator: "&")
    }

    public static func signature(_ canonicalQuery: String, secret: String, method: String) -> String {
        let stringToSign = "\(method)&\(encode("/"))&\(encode(canonicalQuery))"
        return Data(HMAC<Insecure.SHA1>.authenticationCode(for: Data(stringToSign.utf8), using: SymmetricKey(data: Data((secret + "&").utf8))))
            .base64EncodedString()
    }

    /// RFC 3986 percent-encoding: unreserved characters kept, everything else (UTF-8) as %XX.
    public static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~")

    /// `2017-07-12T02:42:19Z`.
    static func timestamp(_ date: Date) -> String { date.formatted(.iso8601) }

    /// `SendSms` to one phone with the template's parameters.
    public static func sms(_ voice: EscalationChannels.Voice, phone: String, parameters: [String: String], at date: Date) -> (url: String, body: String) {
        request(voice, voice.smsEndpoint, "SendSms", ["PhoneNumbers": phone, "SignName": voice.signName, "TemplateCode": voice.smsTemplate,
                                                     "TemplateParam": text(parameters)], at: date)
    }

    /// `SingleCallByTts` to one phone, reading the text-to-speech template with its parameters.
    public static func call(_ voice: EscalationChannels.Voice, phone: String, parameters: [String: String], at date: Date) -> (url: String, body: String) {
        request(voice, voice.voiceEndpoint, "SingleCallByTts", ["CalledNumber": phone, "CalledShowNumber": voice.calledShowNumber, "TtsCode": voice.ttsCode,
                                                               "TtsParam": text(parameters)], at: date)
    }

    /// Both APIs are version 2017-05-25 in region cn-hangzhou.
    static func request(_ voice: EscalationChannels.Voice, _ endpoint: String, _ action: String, _ parameters: [String: String], at date: Date)
        -> (url: String, body: String) {
        (endpoint, form(action: action, version: "2017-05-25", parameters: parameters.merging(["RegionId": "cn-hangzhou"]) { a, _ in a },
                        accessKeyID: voice.accessKeyID, secret: voice.accessKeySecret, at: date))
    }

    static func text(_ parameters: [String: String]) -> String { JSONValue.object(parameters.mapValues(JSONValue.string)).canonicalText() }

    /// Why Aliyun refused a request (nil: `Code` is OK).
    public static func refusal(status: Int, body: String) -> String? {
        let answer = try? JSONValue.parse(Array(body.utf8))
        if let code = answer?["Code"]?.stringValue {
            return code == "OK" ? nil : "aliyun \(code): \(answer?["Message"]?.stringValue ?? "")"
        }
        return "HTTP \(status) \(body.prefix(200))"
    }
}
