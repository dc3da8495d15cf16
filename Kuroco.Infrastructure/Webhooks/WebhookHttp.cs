using System.Net;
using System.Net.Sockets;
using Kuroco.Core.Webhooks;

namespace Kuroco.Infrastructure.Webhooks;

/// <summary>Thrown by the connect step when a target host is, or resolves to, a refused address.</summary>
public sealed class WebhookAddressRefusedException(string message) : HttpRequestException(message);

/// <summary>
/// The outbound HTTP stack of webhooks: a SocketsHttpHandler that resolves DNS itself and refuses
/// forbidden addresses at connect time (so DNS rebinding after the save-time check is caught), no
/// proxy, no redirects, short timeouts.
/// </summary>
public static class WebhookHttp
{
    public const string ClientName = "Kuroco.Webhooks";

    public static SocketsHttpHandler CreateHandler(IWebhookHostResolver resolver, IWebhookHostAllowlist allowlist, TimeSpan connectTimeout)
    {
        ArgumentNullException.ThrowIfNull(resolver);
        ArgumentNullException.ThrowIfNull(allowlist);
        return new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            ConnectTimeout = connectTimeout,
            // Connections are short-lived so each new one goes through the address check again.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            MaxResponseHeadersLength = 16,
            ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, resolver, allowlist, cancellationToken),
        };
    }

    /// <summary>Resolves the host, refuses a forbidden address unless the host is allowlisted, then connects to a checked address.</summary>
    public static async ValueTask<Stream> ConnectAsync(DnsEndPoint endPoint, IWebhookHostResolver resolver, IWebhookHostAllowlist allowlist, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endPoint);
        var host = WebhookAddressRules.NormalizeHost(endPoint.Host);
        var allowlisted = await allowlist.IsAllowedAsync(host, cancellationToken);
        IReadOnlyList<IPAddress>? addresses;
        if (allowlisted)
        {
            addresses = WebhookAddressRules.TryParseAddressLiteral(host, out var literal) ? [literal] : await resolver.ResolveAsync(host, cancellationToken);
        }
        else
        {
            addresses = await WebhookTargetGuard.AddressesAsync(host, resolver, cancellationToken);
            if (addresses is null || addresses.Any(WebhookAddressRules.IsForbidden))
            {
                throw new WebhookAddressRefusedException($"Refused: the host '{host}' resolves to a loopback, private, link-local or otherwise forbidden address.");
            }
        }
        if (addresses.Count == 0)
        {
            throw new HttpRequestException($"The host '{host}' could not be resolved.");
        }
        Exception? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endPoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException ex)
            {
                socket.Dispose();
                last = ex;
            }
        }
        throw new HttpRequestException($"Could not connect to '{host}'.", last);
    }
}
