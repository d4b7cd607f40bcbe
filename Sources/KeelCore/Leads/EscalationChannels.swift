import Foundation

/// Where escalations go beyond Keel (`GET|PUT /api/v1/settings/channels`): group robots of WeCom (企业微信), DingTalk
/// (钉钉) and Feishu (飞书), and a voice/SMS provider (Aliyun) to call the owner. Secrets are sent with every save and
/// never shown.
public struct EscalationChannels: Sendable, Equatable {
    public struct Robot: Sendable, Equatable {
        public enum Kind: String, Sendable, CaseIterable { case wecom, dingtalk, feishu }

        public var id: String
        public var kind: Kind
        public var url: String
        /// DingTalk's and Feishu's signing secret (their "加签"); WeCom's key is in the URL.
        public var secret: String?
        /// The URL may be on a private network (an in-house relay).
        public var allowPrivate = false

        public init(id: String, kind: Kind, url: String, secret: String? = nil) { (self.id, self.kind, self.url, self.secret) = (id, kind, url, secret) }
    }

    /// Aliyun's 短信服务 (`SendSms`) and 语音服务 (`SingleCallByTts`).
    public struct Voice: Sendable, Equatable {
        public var accessKeyID: String
        public var accessKeySecret: String
        /// The SMS signature (签名) and template; the template's parameters are `name` and `lead`.
        public var signName: String
        public var smsTemplate: String
        /// The text-to-speech template called with the same parameters, and the number shown to the callee.
        public var ttsCode: String
        public var calledShowNumber: String
        /// Aliyun's own endpoints unless set (a relay, or a fake in tests).
        public static let aliyun = ["https://dysmsapi.aliyuncs.com/", "https://dyvmsapi.aliyuncs.com/"]
        public var smsEndpoint = aliyun[0]
        public var voiceEndpoint = aliyun[1]
        public var allowPrivate = false

        public init(accessKeyID: String, accessKeySecret: String, signName: String, smsTemplate: String, ttsCode: String, calledShowNumber: String) {
            (self.accessKeyID, self.accessKeySecret, self.signName, self.smsTemplate, self.ttsCode, self.calledShowNumber) =
                (accessKeyID, accessKeySecret, signName, smsTemplate, ttsCode, calledShowNumber)
        }
    }

    public var robots: [Robot] = []
    public var voice: Voice?

    public init() {}

    public func robot(_ id: String) -> Robot? { robots.first { $0.id == id } }

    static let robotKeys: Set<String> = ["id", "kind", "url", "secret", "allowPrivate", "hasSecret"]
    static let voiceKeys: Set<String> = ["accessKeyId", "accessKeySecret", "signName", "smsTemplate", "ttsCode", "calledShowNumber", "smsEndpoint",
                                         "voiceEndpoint", "allowPrivate", "hasSecret"]

    /// Reads a document, every problem with its JSON path.
    public static func parse(_ json: JSONValue) throws(KeelError) -> EscalationChannels {
        var violations: [Violation] = []
        func fail(_ path: String, _ code: String, _ message: String) { violations.append(Violation(field: path, code: code, message: message)) }
        guard let object = json.objectValue else { throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"robots\", \"voice\"}.") }
        for key in object.keys.sorted() where !["robots", "voice"].contains(key) { fail(key, "unknown_key", "\(key) is not a channel setting (robots, voice).") }
        violations += object.wrongTypes(["robots": "array", "voice": "object"])
        var out = EscalationChannels()
        for (i, item) in (object["robots"]?.arrayValue ?? []).enumerated() {
            let at = "robots[\(i)]"
            guard let robot = item.objectValue else {
                fail(at, "invalid_type", "A robot is {\"id\", \"kind\", \"url\", \"secret\"}.")
                continue
            }
            for key in robot.keys.sorted() where !robotKeys.contains(key) { fail("\(at).\(key)", "unknown_key", "\(key) is not part of a robot.") }
            violations += robot.wrongTypes(["id": "string", "kind": "string", "url": "string", "secret": "string", "allowPrivate": "boolean", "hasSecret": "boolean"])
                .map { Violation(field: "\(at).\($0.field)", code: $0.code, message: $0.message) }
            let id = robot["id"]?.stringValue ?? ""
            if !(1...64).contains(id.count) || out.robot(id) != nil { fail("\(at).id", "invalid_id", "Each robot has its own id of 1 to 64 characters.") }
            guard let kind = robot["kind"]?.stringValue.flatMap(Robot.Kind.init(rawValue:)) else {
                fail("\(at).kind", "invalid_option", "kind is one of \(Robot.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
                continue
            }
            let url = robot["url"]?.stringValue ?? ""
            if url.isEmpty || url.count > 2000 { fail("\(at).url", "required", "url is the robot's webhook address.") }
            var parsed = Robot(id: id, kind: kind, url: url, secret: robot["secret"]?.stringValue)
            parsed.allowPrivate = robot["allowPrivate"]?.boolValue ?? false
            if let secret = parsed.secret, secret.isEmpty || secret.count > 200 { fail("\(at).secret", "invalid_length", "A secret has 1 to 200 characters.") }
            out.robots.append(parsed)
        }
        if let voice = object["voice"]?.objectValue {
            for key in voice.keys.sorted() where !voiceKeys.contains(key) { fail("voice.\(key)", "unknown_key", "\(key) is not part of the voice settings.") }
            let flags: Set<String> = ["allowPrivate", "hasSecret"]
            violations += voice.wrongTypes(Dictionary(uniqueKeysWithValues: voiceKeys.map { ($0, flags.contains($0) ? "boolean" : "string") }))
                .map { Violation(field: "voice.\($0.field)", code: $0.code, message: $0.message) }
            func text(_ key: String) -> String {
                let value = voice[key]?.stringValue ?? ""
                if value.isEmpty || value.count > 200 { fail("voice.\(key)", "required", "\(key) is required (at most 200 characters).") }
                return value
            }
            var parsed = Voice(accessKeyID: text("accessKeyId"), accessKeySecret: text("accessKeySecret"),
                               signName: text("signName"), smsTemplate: text("smsTemplate"), ttsCode: text("ttsCode"),
                               calledShowNumber: text("calledShowNumber"))
            if let url = voice["smsEndpoint"]?.stringValue { parsed.smsEndpoint = url }
            if let url = voice["voiceEndpoint"]?.stringValue { parsed.voiceEndpoint = url }
            parsed.allowPrivate = voice["allowPrivate"]?.boolValue ?? false
            out.voice = parsed
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return out
    }

    /// The document, with its secrets (stored) or only whether each is set (shown).
    public func json(secrets: Bool) -> JSONValue {
        func secret(_ value: String?) -> [String: JSONValue] {
            secrets ? (value.map { ["secret": .string($0)] } ?? [:]) : ["hasSecret": .bool(value != nil)]
        }
        let robots: [JSONValue] = robots.map { r in
            .object(["id": .string(r.id), "kind": .string(r.kind.rawValue), "url": .string(r.url), "allowPrivate": .bool(r.allowPrivate)]
                .merging(secret(r.secret)) { a, _ in a })
        }
        var out: [String: JSONValue] = ["robots": .array(robots), "voice": .null]
        if let v = voice {
            var voice: [String: JSONValue] = ["accessKeyId": .string(v.accessKeyID), "signName": .string(v.signName), "smsTemplate": .string(v.smsTemplate),
                                              "ttsCode": .string(v.ttsCode), "calledShowNumber": .string(v.calledShowNumber),
                                              "smsEndpoint": .string(v.smsEndpoint), "voiceEndpoint": .string(v.voiceEndpoint), "allowPrivate": .bool(v.allowPrivate)]
            if secrets { voice["accessKeySecret"] = .string(v.accessKeySecret) } else { voice["hasSecret"] = true }
            out["voice"] = .object(voice)
        }
        return .object(out)
    }
}
