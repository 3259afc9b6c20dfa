import Foundation
import Logging
import ServiceLifecycle

/// Settles online attempts whose notification never came: every `interval`, each gateway attempt still
/// pending after `after` is asked about (VNPay's querydr) and the answer goes through the same settlement as
/// a notification (verified, idempotent, one transaction). An attempt the gateway does not know stays pending
/// until it has expired (the payer may still be on the gateway's page), then is marked failed; a payment that
/// is paid later still arrives by its notification and is recorded.
struct PaymentReconciliation: Service {
    let store: PaymentStore
    let gateways: PaymentGateways
    let logger: Logger
    var interval: Duration = .seconds(60)
    /// How old a pending attempt must be before the gateway is asked (its notification usually comes within seconds).
    var after: Int64 = 5 * 60 * 1000
    /// How long after its expiry an attempt the gateway still calls unfinished is given up.
    var unfinishedGrace: Int64 = 15 * 60 * 1000
    /// The portal's own address, which querydr carries.
    var serverIP = "127.0.0.1"
    var ready: ReadySignal? = nil

    func run() async throws {
        await ready?.waitUnlessShuttingDown()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let settled = try await reconcile()
                if settled > 0 { logger.info("Payment reconciliation", metadata: ["settled": "\(settled)"]) }
            } catch {
                logger.error("Payment reconciliation failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                // Shutdown or cancellation ends the wait; the loop condition ends the service.
            }
        }
    }

    /// One round at `now`; returns how many attempts it settled.
    @discardableResult
    func reconcile(now: Int64 = Clock.nowMilliseconds(), limit: Int = 200) async throws -> Int {
        var settled = 0
        // An agency whose gateway cannot be reached now is not asked again this round (one warning, not 200).
        var unreachable: Set<String> = []
        for attempt in try await store.pendingGatewayAttempts(createdBefore: now - after, limit: limit) {
            guard attempt.method.isOnline, let dossier = try await store.dossierAgency(attempt.dossierID),
                  !unreachable.contains(dossier.agencyCode), let gateway = gateways.gateway(for: dossier.agencyCode) else { continue }
            let query = PaymentStatusQuery(reference: attempt.reference, createdAt: attempt.createdAt,
                                           description: "Nop phi, le phi ho so \(dossier.code ?? "")", requestIP: serverIP)
            let callback: PaymentCallback
            do {
                callback = try await gateway.queryStatus(query, at: now)
            } catch {
                logger.warning("Payment status query failed", metadata: ["reference": "\(attempt.reference)", "error": "\(error)"])
                if case .unreachable = error as? PaymentQueryError { unreachable.insert(dossier.agencyCode) }
                continue
            }
            let expired = (attempt.expiresAt ?? 0) <= now
            var answer = callback
            switch callback.outcome {
            case .paid: break
            case .failed: if !expired { continue }
            case .pending:
                // Left unfinished on the gateway's page ("00/01") well past the expiry: it can no longer be paid.
                // Anything else pending (money held under suspicion, "07") waits for the gateway's word.
                guard callback.gatewayCode.hasSuffix("/01"), now > (attempt.expiresAt ?? now) + unfinishedGrace else { continue }
                answer.outcome = .failed("Giao dịch chưa hoàn tất trước khi hết hạn thanh toán.")
            }
            // "Not found" names no amount: the attempt's own stands in, so the settlement's amount check passes.
            if answer.gatewayCode == "91" { answer.amount = attempt.amount; answer.reference = attempt.reference }
            if await store.settle(answer, agencyCode: dossier.agencyCode, at: now) == .recorded { settled += 1 }
        }
        return settled
    }
}
