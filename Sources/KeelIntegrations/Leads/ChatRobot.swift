import Crypto
import Foundation
import KeelCore

/// Group robots as their vendors document them.
/// - WeCom (企业微信): POST to the robot's URL (its key in the query) `{"msgtype": "text", "text": {"content",
///   "mentioned_mobile_list"}}`; answers `{"errcode": 0, "errmsg": "ok"}`.
/// - DingTalk (钉钉), signed: the URL gets `timestamp` (ms) and `sign` = URL-encoded base64 HMAC-SHA256 of
///   "timestamp\nsecret" keyed by the secret; body `{"msgtype": "text", "text": {"content"}, "at": {"atMobiles"}}`, the
///   content naming each @mobile; answers `{"errcode": 0}`.
/// - Feishu (飞书), signed: the body carries `timestamp` (s) and `sign` = base64 HMAC-SHA256 keyed by
///   "timestamp\nsecret" over nothing; `{"msg_type": "text", "content": {"text"}}` with `<at user_id="ou_…">` for
///   each person Feishu knows; answers `{"code": 0}`.
/// All three answer HTTP 200 even when they refuse: the code in the body says.
public enum ChatRobot {
    /// Someone to @-mention: their mobile (WeCom, DingTalk) or Feishu open id.
    public struct Mention: Sendable, Equatable {
        public var name: String
        public var mobile: String?
        public var feishuID: String?

        public init(name: String, mobile: String?, feishuID: String?) { (self.name, self.mobile, self.feishuID) = (name, mobile, feishuID) }
    }

    /// The URL and body to POST.
    public static func request(_ robot: EscalationChannels.Robot, text: String, mentions: [Mention], at date: Date) -> (url: String, body: [UInt8]) {
        let mobiles = mentions.compactMap(\.mobile)
        let body: JSONValue, url: String
        switch robot.kind {
        case .wecom:
            url = robot.url
            body = ["msgtype": "text", "text": ["content": .string(text), "mentioned_mobile_list": .array(mobiles.map(JSONValue.string))]]
        case .dingtalk:
            let named = mentions.map { $0.mobile.map { "@\($0)" } ?? "@\($0.name)" }.joined(separator: " ")
            body = ["msgtype": "text", "text": ["content": .string(named.isEmpty ? text : named + " " + text)],
                    "at": ["atMobiles": .array(mobiles.map(JSONValue.string)), "isAtAll": false]]
            if let secret = robot.secret {
                let timestamp = String(Int64(date.timeIntervalSince1970 * 1000))
                let sign = dingTalkSign(timestamp: timestamp, secret: secret)
                url = robot.url + (robot.url.contains("?") ? "&" : "?") + "timestamp=\(timestamp)&sign=" + formEncode(sign)
            } else {
                url = robot.url
            }
        case .feishu:
            url = robot.url
            let named = mentions.map { m in m.feishuID.map { "<at user_id=\"\($0)\">\(m.name)</at>" } ?? "@\(m.name)" }.joined(separator: " ")
            var object: [String: JSONValue] = ["msg_type": "text", "content": ["text": .string(named.isEmpty ? text : named + " " + text)]]
            if let secret = robot.secret {
                let timestamp = String(Int64(date.timeIntervalSince1970))
                object["timestamp"] = .string(timestamp)
                object["sign"] = .string(feishuSign(timestamp: timestamp, secret: secret))
            }
            body = .object(object)
        }
        return (url, Array(body.canonicalText().utf8))
    }

    /// DingTalk's signature: base64 HMAC-SHA256 of "timestamp\nsecret" with the secret as key.
    public static func dingTalkSign(timestamp: String, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    /// Feishu's signature: base64 HMAC-SHA256 of nothing with "timestamp\nsecret" as key.
    public static func feishuSign(timestamp: String, secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8)))).base64EncodedString()
    }

    /// Why the robot refused a message (nil: it took it).
    public static func refusal(_ kind: EscalationChannels.Robot.Kind, status: Int, body: String) -> String? {
        guard (200..<300).contains(status) else { return "HTTP \(status) \(body.prefix(200))" }
        let answer = try? JSONValue.parse(Array(body.utf8))
        let code = kind == .feishu ? (answer?["code"] ?? answer?["StatusCode"]) : answer?["errcode"]
        guard let code = code?.intValue else { return "unreadable answer: \(body.prefix(200))" }
        if code == 0 { return nil }
        let message = (kind == .feishu ? answer?["msg"] : answer?["errmsg"])?.stringValue ?? ""
        return "\(kind.rawValue) error \(code): \(message)"
    }

    /// `application/x-www-form-urlencoded` escaping (what DingTalk's `sign` needs).
    static func formEncode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._*")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
