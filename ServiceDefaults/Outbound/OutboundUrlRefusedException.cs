namespace HorizonAI.ServiceDefaults.Outbound;

/// <summary>
/// A connection the <see cref="OutboundUrlGuard"/> would not open: the host resolved to an address that is not public,
/// or the URL was plain http to a host that is not the agency's own. Thrown from the handler's connect callback, so an
/// <see cref="HttpClient"/> reports it as the inner exception of the <see cref="HttpRequestException"/> it throws; the
/// message is the reason, fit to show the business (it names the host and address, never a header or a body).
/// </summary>
public sealed class OutboundUrlRefusedException(string reason) : HttpRequestException(HttpRequestError.ConnectionError, reason);
