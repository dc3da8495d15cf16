using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Support;

/// <summary>
/// The real app on a real socket (Kestrel on 127.0.0.1, a free port) from its first use, for what the in-memory
/// test server does not check: Kestrel refuses a response header with non-ASCII characters (a 500), and the peer
/// address is real.
/// </summary>
public class KestrelAppFactory : KurocoAppFactory
{
    private Uri? baseAddress;

    public KestrelAppFactory() => UseKestrel(o => o.Listen(IPAddress.Loopback, 0));

    public Uri BaseAddress => baseAddress ??= ReadAddress();

    /// <summary>A client over the socket that keeps cookies and does not follow redirects, like <see cref="KurocoAppFactory.CreateBrowserLikeClient"/>.</summary>
    public HttpClient CreateSocketClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = BaseAddress };

    private Uri ReadAddress()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no address.");
        return new Uri(address.TrimEnd('/') + "/");
    }
}
