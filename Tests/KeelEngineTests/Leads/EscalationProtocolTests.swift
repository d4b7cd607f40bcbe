import Crypto
import Foundation
import KeelCore
import KeelIntegrations
import Testing

@Suite struct EscalationProtocolTests {
    /// The worked example of Aliyun's SMS documentation (签名机制): its parameters, secret "testSecret" and GET give
    /// the signature the documentation prints.
    @Test func aliyunSignsAsItsDocumentationShows() {
        let parameters = ["AccessKeyId": "testId", "Action": "SendSms", "Format": "XML", "OutId": "123", "PhoneNumbers": "15300000001",
                          "RegionId": "cn-hangzhou", "SignName": "阿里云短信测试专用", "SignatureMethod": "HMAC-SHA1",
                          "SignatureNonce": "45e25e9b-0a6f-4070-8c85-2956eda1b466", "SignatureVersion": "1.0", "TemplateCode": "SMS_71390007",
                          "TemplateParam": "{\"customer\":\"test\"}", "Timestamp": "2017-07-12T02:42:19Z", "Version": "2017-05-25"]
        let query = AliyunRPC.canonical(parameters)
        #expect(query.hasPrefix("AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF"))
        #expect(query.contains("TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z"))
        #expect(AliyunRPC.signature(query, secret: "testSecret", method: "GET") == "zJDF+Lrzhj/ThnlvIToysFRq6t4=")
        #expect(AliyunRPC.encode("a b*c~") == "a%20b%2Ac~")
    }

    @Test func aliyunFormsCarryEveryCommonParameterAndTheirSignature() throws {
        var voice = EscalationChannels.Voice(accessKeyID: "LTAI", accessKeySecret: "s3cret", signName: "Keel", smsTemplate: "SMS_1", ttsCode: "TTS_1",
                                             calledShowNumber: "057100000000")
        voice.voiceEndpoint = "http://127.0.0.1:1/"
        let (url, body) = AliyunRPC.call(voice, phone: "13912345678", parameters: ["name": "李娜", "lead": "周杰"], at: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(url == "http://127.0.0.1:1/")
        var fields: [String: String] = [:]
        for pair in body.split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding! }
            fields[kv[0]] = kv[1]
        }
        #expect(fields["Action"] == "SingleCallByTts" && fields["Version"] == "2017-05-25" && fields["CalledNumber"] == "13912345678")
        #expect(fields["Timestamp"] == "2027-01-15T08:00:00Z" && fields["SignatureMethod"] == "HMAC-SHA1" && fields["TtsParam"] == "{\"lead\":\"周杰\",\"name\":\"李娜\"}")
        let signature = try #require(fields["Signature"])
        fields["Signature"] = nil
        #expect(AliyunRPC.signature(AliyunRPC.canonical(fields), secret: "s3cret", method: "POST") == signature)
        #expect(AliyunRPC.refusal(status: 200, body: #"{"Code":"OK","CallId":"1"}"#) == nil)
        #expect(AliyunRPC.refusal(status: 400, body: #"{"Code":"isv.MOBILE_NUMBER_ILLEGAL","Message":"非法手机号"}"#) == "aliyun isv.MOBILE_NUMBER_ILLEGAL: 非法手机号")
    }

    @Test func robotsAreSignedAndMentionAsTheirVendorsDocument() throws {
        let at = Date(timeIntervalSince1970: 1_800_000_000.123)
        let li = ChatRobot.Mention(name: "李娜", mobile: "13912345678", feishuID: "ou_abc")

        var ding = EscalationChannels.Robot(id: "d", kind: .dingtalk, url: "https://oapi.dingtalk.com/robot/send?access_token=T", secret: "SEC1")
        let (dingURL, dingBody) = ChatRobot.request(ding, text: "线索超时", mentions: [li], at: at)
        let query = try #require(URLComponents(string: dingURL)?.queryItems)
        #expect(query.first { $0.name == "timestamp" }?.value == "1800000000123")
        let expected = Data(HMAC<SHA256>.authenticationCode(for: Data("1800000000123\nSEC1".utf8), using: SymmetricKey(data: Data("SEC1".utf8)))).base64EncodedString()
        #expect(query.first { $0.name == "sign" }?.value == expected)
        let dingJSON = try JSONValue.parse(dingBody)
        #expect(dingJSON["at"]?["atMobiles"] == ["13912345678"] && dingJSON["text"]?["content"] == "@13912345678 线索超时")
        ding.secret = nil
        #expect(ChatRobot.request(ding, text: "x", mentions: [], at: at).url == "https://oapi.dingtalk.com/robot/send?access_token=T")

        let feishu = EscalationChannels.Robot(id: "f", kind: .feishu, url: "https://open.feishu.cn/open-apis/bot/v2/hook/H", secret: "SEC2")
        let feishuJSON = try JSONValue.parse(ChatRobot.request(feishu, text: "线索超时", mentions: [li], at: at).body)
        #expect(feishuJSON["timestamp"] == "1800000000" && feishuJSON["msg_type"] == "text")
        #expect(feishuJSON["sign"]?.stringValue == Data(HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("1800000000\nSEC2".utf8)))).base64EncodedString())
        #expect(feishuJSON["content"]?["text"] == "<at user_id=\"ou_abc\">李娜</at> 线索超时")

        let wecom = EscalationChannels.Robot(id: "w", kind: .wecom, url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K")
        let wecomJSON = try JSONValue.parse(ChatRobot.request(wecom, text: "线索超时", mentions: [li], at: at).body)
        #expect(wecomJSON == ["msgtype": "text", "text": ["content": "线索超时", "mentioned_mobile_list": ["13912345678"]]])

        // Each answers 200 when it refuses: the code in the body says.
        #expect(ChatRobot.refusal(.wecom, status: 200, body: #"{"errcode":0,"errmsg":"ok"}"#) == nil)
        #expect(ChatRobot.refusal(.dingtalk, status: 200, body: #"{"errcode":310000,"errmsg":"sign not match"}"#) == "dingtalk error 310000: sign not match")
        #expect(ChatRobot.refusal(.feishu, status: 200, body: #"{"code":19021,"msg":"sign match fail"}"#) == "feishu error 19021: sign match fail")
        #expect(ChatRobot.refusal(.feishu, status: 502, body: "bad gateway")?.hasPrefix("HTTP 502") == true)
    }

    @Test func workingMinutesSkipNightsWeekendsAndHolidays() throws {
        let zone = TimeZone(identifier: "Asia/Shanghai")!
        let calendar = WorkingCalendar(holidays: ["2026-10-01"])
        func at(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }
        // Friday 17:55 Beijing + 10 working minutes → Monday 09:05.
        #expect(calendar.adding(workingMinutes: 10, to: at("2026-11-27T09:55:00Z"), in: zone) == at("2026-11-30T01:05:00Z"))
        // Before opening: counted from 09:00.
        #expect(calendar.adding(workingMinutes: 2, to: at("2026-11-30T00:10:00Z"), in: zone) == at("2026-11-30T01:02:00Z"))
        // A holiday (Thursday 1 October) is skipped.
        #expect(calendar.adding(workingMinutes: 60, to: at("2026-09-30T09:30:00Z"), in: zone) == at("2026-10-02T01:30:00Z"))
        #expect(calendar.workingSeconds(from: at("2026-11-27T09:55:00Z"), to: at("2026-11-30T01:05:00Z"), in: zone) == 600)
        let parsed = try WorkingCalendar.parse(["workingHours": ["opens": "08:30", "closes": "17:30"]])
        #expect(parsed.opens == 510 && parsed.closes == 1050 && parsed.json["workingHours"] == ["opens": "08:30", "closes": "17:30"])
        #expect(throws: KeelError.self) { try WorkingCalendar.parse(["workingHours": ["opens": "18:00", "closes": "09:00"]]) }
    }
}
