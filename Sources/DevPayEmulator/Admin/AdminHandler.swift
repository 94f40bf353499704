import Foundation
import Hummingbird
import NIOCore

/// The admin endpoints: JSON over the same HTTPS listener, under `/admin/`. They drive the emulator the way
/// the DevPay console and the purchase pages drove the real service; never faulted. Every endpoint but
/// `GET /admin/health` (which tells nothing) needs the server's admin token as a bearer token.
struct AdminHandler: Sendable {
    let engine: EmulatorEngine
    let token: AdminToken

    func respond(to request: Request, context: EmulatorRequestContext) async throws -> Response {
        let route = (request.method, String(request.uri.path.dropFirst("/admin".count)))
        if route != (.get, "/health"), !token.accepts(authorization: request.headers[.authorization]) {
            var answer = try HTTPAnswers.json(
                AdminMessages.Failure(error: "the admin API needs the token `devpay emulator start` printed"),
                status: .unauthorized)
            answer.headers[.wwwAuthenticate] = "Bearer"
            return answer
        }
        do {
            switch route {
            case (.get, "/health"):
                return try HTTPAnswers.json(AdminMessages.Health(status: "ok"))
            case (.post, "/products"):
                let body = try await decode(AdminMessages.RegisterProduct.self, request, context)
                return try HTTPAnswers.json(try await engine.registerProduct(code: body.productCode,
                                                                             token: body.productToken))
            case (.post, "/purchases"):
                let body = try await decode(AdminMessages.Purchase.self, request, context)
                return try HTTPAnswers.json(try await engine.purchase(
                    productCode: body.productCode, customerID: body.customerID, scenario: body.scenario ?? .subscribed))
            case (.post, "/activation-keys"):
                let body = try await decode(AdminMessages.IssueActivationKey.self, request, context)
                return try HTTPAnswers.json(try await engine.issueActivationKey(customerID: body.customerID,
                                                                                productCode: body.productCode))
            case (.put, "/subscriptions"):
                let body = try await decode(AdminMessages.SetSubscription.self, request, context)
                try await engine.setScenario(body.scenario, customerID: body.customerID, productCode: body.productCode)
                return Response(status: .noContent)
            case (.get, "/subscriptions"):
                let query = QueryString(request.uri.query)
                guard let customerID = query.value("customerID"), let productCode = query.value("productCode") else {
                    throw EmulatorError.invalidArgument("customerID and productCode are required")
                }
                guard let status = await engine.subscriptionStatus(customerID: customerID, productCode: productCode)
                else { throw EmulatorError.unknownCustomer(id: customerID) }
                return try HTTPAnswers.json(AdminMessages.Subscription(customerID: customerID,
                                                                       productCode: productCode, status: status))
            case (.post, "/token-refresh"):
                let body = try await decode(AdminMessages.RequireTokenRefresh.self, request, context)
                let count = try await engine.requireTokenRefresh(customerID: body.customerID, productCode: body.productCode)
                return try HTTPAnswers.json(AdminMessages.TokenRefreshMarked(credentialSets: count))
            case (.get, "/clock"):
                return try HTTPAnswers.json(await engine.clockReading())
            case (.post, "/clock"):
                let body = try await decode(AdminMessages.ClockChange.self, request, context)
                if let instant = body.setTo { try await engine.setClock(to: instant) }
                if let seconds = body.advanceSeconds { try await engine.advanceClock(by: seconds) }
                return try HTTPAnswers.json(await engine.clockReading())
            case (.get, "/faults"):
                return try HTTPAnswers.json(await engine.faults)
            case (.put, "/faults"):
                let plan = try await decode(FaultPlan.self, request, context)
                await engine.setFaults(plan)
                return try HTTPAnswers.json(plan)
            case (.delete, "/faults"):
                await engine.setFaults(.none)
                return Response(status: .noContent)
            default:
                return try HTTPAnswers.json(AdminMessages.Failure(error: "no admin endpoint \(route.0) /admin\(route.1)"),
                                            status: .notFound)
            }
        } catch let error as EmulatorError {
            let status: HTTPResponse.Status = switch error {
            case .unknownProduct, .unknownCustomer: .notFound
            case .invalidArgument: .badRequest
            default: .internalServerError
            }
            return try HTTPAnswers.json(AdminMessages.Failure(error: error.description), status: status)
        } catch let error as DecodingError {
            return try HTTPAnswers.json(AdminMessages.Failure(error: "malformed JSON body: \(error)"), status: .badRequest)
        }
    }

    private func decode<T: Decodable>(_ type: T.Type, _ request: Request, _ context: EmulatorRequestContext)
        async throws -> T
    {
        let buffer = try await request.body.collect(upTo: 1 << 20)
        return try HTTPAnswers.jsonDecoder.decode(T.self, from: Data(buffer: buffer))
    }
}
