import Foundation

/// An e-signature service: a document sent to be signed by named people, and the signed document fetched once they
/// have. The provider tells Keel of progress by signed callbacks (see `TsignCallback`).
public protocol ESignProvider: Sendable {
    /// Uploads the document and starts a signing flow that notifies `notifyURL`; returns the provider's flow id.
    func startFlow(_ request: ESignRequest) async throws -> String
    /// The signed files of a completed flow.
    func signedFiles(flowID: String) async throws -> [ESignFile]
}

public struct ESignSigner: Sendable, Equatable {
    public var name: String
    /// The signer's mobile number: the account the provider identifies them by.
    public var mobile: String
    /// The company they sign for, if any.
    public var organization: String?

    public init(name: String, mobile: String, organization: String? = nil) {
        (self.name, self.mobile, self.organization) = (name, mobile, organization)
    }
}

public struct ESignRequest: Sendable {
    public var title: String
    public var fileName: String
    public var pdf: [UInt8]
    public var signers: [ESignSigner]
    public var notifyURL: String

    public init(title: String, fileName: String, pdf: [UInt8], signers: [ESignSigner], notifyURL: String) {
        (self.title, self.fileName, self.pdf, self.signers, self.notifyURL) = (title, fileName, pdf, signers, notifyURL)
    }
}

public struct ESignFile: Sendable {
    public var name: String
    public var bytes: [UInt8]

    public init(name: String, bytes: [UInt8]) { (self.name, self.bytes) = (name, bytes) }
}

/// The provider refused or did not answer; `summary` is for the person who sent the contract.
public struct ESignError: Error, CustomStringConvertible {
    public var summary: String
    public init(_ summary: String) { self.summary = summary }
    public var description: String { summary }
}
