import DevPaySigning

/// The request every signing benchmark signs (issue 4): an S3 GET with a `Range` header and a
/// 400-character session token. Shared by `SigningBenchmarks` (wall clock, mallocs) and
/// `SigningWorkloads` (callgrind), so both measure the same work.
public enum SigningFixtures {
    public static let credentials = SigningCredentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        securityToken: .session(String(String(repeating: "FwoGZXIvYXdzEJr", count: 27).prefix(400))))
    public static let time = try! SigningTime(iso8601: "2026-11-30T03:00:00Z")
    public static let nextDay = try! time.adding(seconds: 86_400)
    public static let request = try! SigningRequest(
        method: "GET", url: "https://examplebucket.s3.amazonaws.com/photos/2026/puppy.jpg",
        headers: [HTTPHeader("Range", "bytes=0-9")])

    /// A `VerifyProductSubscriptionByTokens` call with DevPay-sized tokens, signing parameters included.
    public static func licenseServiceParameters(signer: LicenseServiceSigner) -> [QueryParameter] {
        [
            QueryParameter("Action", "VerifyProductSubscriptionByTokens"),
            QueryParameter("UserToken", "{UserToken}" + String(repeating: "A", count: 390)),
            QueryParameter("ProductToken", "{ProductToken}" + String(repeating: "B", count: 300)),
            QueryParameter("Version", "2008-04-28"),
        ] + signer.signingParameters(at: time)
    }
}
