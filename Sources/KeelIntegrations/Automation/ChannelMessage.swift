import Foundation
import KeelCore

/// A text message for a chat robot's webhook. WeCom (企业微信) and DingTalk (钉钉) robots take
/// `{"msgtype": "text", "text": {"content": …}}`, Feishu (飞书) robots `{"msg_type": "text", "content": {"text": …}}`;
/// any other endpoint gets Keel's own envelope.
public enum ChannelMessage {
    public static func payload(url: String, text: String, envelope: JSONValue) -> JSONValue {
        let host = URL(string: url)?.host?.lowercased() ?? ""
        if host == "qyapi.weixin.qq.com" || host == "oapi.dingtalk.com" {
            return ["msgtype": "text", "text": ["content": .string(text)]]
        }
        if host == "open.feishu.cn" || host == "open.larksuite.com" {
            return ["msg_type": "text", "content": ["text": .string(text)]]
        }
        return envelope
    }
}
