import Prometheus

/// The portal's Prometheus metrics, named in one place: counters end in `_total`, durations in `_seconds`.
enum MetricNames {
    static var httpRequests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "http_requests", unitName: "total",
        helpText: "Requests answered, by method, route pattern and status.") }
    static var httpRequestDuration: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "http_request_duration", unitName: "seconds",
        helpText: "Time to answer a request, by method and route pattern.") }
    static var outboxPending: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "outbox_pending", unitName: "",
        helpText: "Mail waiting in the outbox (every process shares it).") }
    static var outboxFailed: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "outbox_failed", unitName: "",
        helpText: "Mail given up on: shown to the system administrator.") }
    static var outboxSent: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "outbox_sent", unitName: "total", helpText: "Mail delivered by this process.") }
    static var outboxDeliveryFailures: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "outbox_delivery_failures", unitName: "total",
        helpText: "Failed deliveries by this process, temporary (retried) or permanent.") }
    static var dossiersDueSoon: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "dossiers_due_soon", unitName: "",
        helpText: "Dossiers held by agencies whose appointment is near, as the last due sweep found.") }
    static var dossiersOverdue: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "motcua", metricName: "dossiers_overdue", unitName: "",
        helpText: "Dossiers held by agencies past their appointment, as the last due sweep found.") }
}
