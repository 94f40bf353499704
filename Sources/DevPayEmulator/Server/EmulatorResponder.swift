import Foundation
import Hummingbird
import NIOCore

/// Sends each request to its part of the emulator: `/admin/…` to the admin API, requests with an `Action`
/// parameter (query, or form body on POST) and SOAP posts (`text/xml` to `/`) to the License Service, everything else to S3 (path style, or
/// virtual-hosted under `s3.localhost`).
/// Applies the fault plan to License Service and S3 requests first.
struct EmulatorResponder: HTTPResponder {
    typealias Context = EmulatorRequestContext

    let engine: EmulatorEngine

    func respond(to request: Request, context: Context) async throws -> Response {
        let path = request.uri.path
        // On a bucket's own host name, `/admin/…` is an object key, not the admin API.
        let onBucketHost = request.head.authority.flatMap(S3SignedRequest.bucket(inHost:)) != nil
        if !onBucketHost, path == "/admin" || path.hasPrefix("/admin/") {
            return try await AdminHandler(engine: engine).respond(to: request, context: context)
        }
        let query = QueryString(request.uri.query)
        let contentType = request.headers[.contentType] ?? ""
        let isFormPost = request.method == .post && path == "/" && contentType.hasPrefix("application/x-www-form-urlencoded")
        // SOAP 1.1 posts text/xml to the service root; a bucket's own host never gets here with it.
        let isSOAP = request.method == .post && path == "/" && !onBucketHost && contentType.hasPrefix("text/xml")
        let service: FaultPlan.Target = (query.contains("Action") || isFormPost || isSOAP) ? .licenseService : .s3

        let decision = await engine.decideFault(for: service)
        if decision.delayMilliseconds > 0 {
            try await Task.sleep(for: .milliseconds(decision.delayMilliseconds))
        }
        switch decision.outcome {
        case .answer:
            break
        case .drop:
            try await context.channel.close()
            throw CancellationError()
        case .unavailable(let retryAfter):
            let requestID = await engine.requestID()
            var headers: HTTPFields = [:]
            if let retryAfter { headers[.retryAfter] = String(retryAfter) }
            if isSOAP {
                return LicenseServiceHandler.soapFault(.serviceUnavailable(), requestID: requestID, extraHeaders: headers)
            }
            let body = service == .licenseService
                ? LicenseServiceXML.error(.serviceUnavailable(), requestID: requestID)
                : S3XML.error(.slowDown(), requestID: requestID)
            return HTTPAnswers.xml(body, status: .serviceUnavailable, requestID: requestID, extraHeaders: headers)
        }

        switch service {
        case .licenseService where isSOAP:
            let body = try await request.body.collect(upTo: 1 << 20)
            return await LicenseServiceHandler(engine: engine).respondSOAP(body: Data(body.readableBytesView))
        case .licenseService:
            var parameters = query.decodedPairs(formEncoded: false)
            if isFormPost {
                let body = try await request.body.collect(upTo: 1 << 20)
                parameters += QueryString(String(buffer: body)).decodedPairs(formEncoded: true)
            }
            return await LicenseServiceHandler(engine: engine).respond(parameters: parameters)
        case .s3, .all:
            return try await S3Handler(engine: engine).respond(to: request, query: query, context: context)
        }
    }
}
