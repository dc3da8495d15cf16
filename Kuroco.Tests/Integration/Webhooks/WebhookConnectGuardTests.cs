using System.Net;
using System.Net.Sockets;
using System.Text;
using Kuroco.Core.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Integration.Webhooks;

/// <summary>
/// The real outbound stack (SocketsHttpHandler with the connect-time check) against a real socket
/// on 127.0.0.1; only DNS is faked, so a name can change its answer between save and delivery.
/// </summary>
public sealed class WebhookConnectGuardTests(RealHttpWebhookAppFactory factory) : IClassFixture<RealHttpWebhookAppFactory>, IDisposable
{
    private readonly TcpListener listener = StartListener();

    private int Port => ((IPEndPoint)listener.LocalEndpoint).Port;

    private static TcpListener StartListener()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return l;
    }

    [Fact]
    public async Task A_name_that_rebinds_to_loopback_after_the_save_is_refused_at_connect_time()
    {
        factory.Resolver.Set("rebind.example", "93.184.216.34");
        var (subscription, _) = await factory.CreateSubscriptionAsync($"https://rebind.example:{Port}/hook");
        factory.Resolver.Set("rebind.example", "127.0.0.1");
        var id = await factory.AddDeliveryAsync(subscription);

        await factory.RunAttemptAsync(id, 1);

        var delivery = await factory.DeliveryAsync(id);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.StartsWith("Refused", delivery.LastError, StringComparison.Ordinal);
        Assert.Null(delivery.LastHttpStatus);
        Assert.NotNull(delivery.NextAttemptAtUtc);
        Assert.False(listener.Pending(), "No connection may reach the loopback listener.");
    }

    [Fact]
    public async Task An_allowlisted_internal_host_is_reached_over_a_real_socket()
    {
        factory.Resolver.Set("receiver.internal", "127.0.0.1");
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().SaveAllowedHostsAsync([new WebhookAllowedHostEntry("receiver.internal", null)]));
        var (subscription, secret) = await factory.CreateSubscriptionAsync($"http://receiver.internal:{Port}/hook");
        var id = await factory.AddDeliveryAsync(subscription);
        var served = ServeOnceAsync();

        await factory.RunAttemptAsync(id, 1);

        var request = await served.WaitAsync(TimeSpan.FromSeconds(10));
        var delivery = await factory.DeliveryAsync(id);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(204, delivery.LastHttpStatus);
        Assert.StartsWith("POST /hook HTTP/1.1", request, StringComparison.Ordinal);
        Assert.Contains("Kuroco-Webhook-Signature: sha256=", request, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_http_stops_when_the_host_leaves_the_allowlist()
    {
        factory.Resolver.Set("former.internal", "127.0.0.1");
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().SaveAllowedHostsAsync([new WebhookAllowedHostEntry("former.internal", null)]));
        var (subscription, _) = await factory.CreateSubscriptionAsync($"http://former.internal:{Port}/hook");
        await factory.WithScopeAsync(sp => sp.GetRequiredService<IWebhookService>().SaveAllowedHostsAsync([]));
        // Even at a public address, plain http is refused before any connection (a connect would say "Request failed").
        factory.Resolver.Set("former.internal", "192.0.2.10");
        var id = await factory.AddDeliveryAsync(subscription);

        await factory.RunAttemptAsync(id, 1);

        var delivery = await factory.DeliveryAsync(id);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.StartsWith("Refused: plain http://", delivery.LastError, StringComparison.Ordinal);
    }

    private async Task<string> ServeOnceAsync()
    {
        using var client = await listener.AcceptTcpClientAsync();
        var stream = client.GetStream();
        var buffer = new byte[16384];
        var text = new StringBuilder();
        while (true)
        {
            var n = await stream.ReadAsync(buffer);
            if (n == 0)
            {
                break;
            }
            text.Append(Encoding.UTF8.GetString(buffer, 0, n));
            var s = text.ToString();
            var headerEnd = s.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd >= 0)
            {
                var lengthLine = s.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                var length = lengthLine is null ? 0 : int.Parse(lengthLine.Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                if (Encoding.UTF8.GetByteCount(s) >= headerEnd + 4 + length)
                {
                    break;
                }
            }
        }
        await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n"));
        return text.ToString();
    }

    public void Dispose() => listener.Stop();
}
