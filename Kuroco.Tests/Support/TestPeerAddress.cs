using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Kuroco.Tests.Support;

/// <summary>
/// TestServer has no socket, so no peer address. Registered through <see cref="KurocoAppFactory.TestServices"/>,
/// this startup filter runs before the app's pipeline and sets the peer address from the test-only
/// <see cref="HeaderName"/> header, as a socket would (the app's forwarded-headers handling comes after it).
/// </summary>
public sealed class TestPeerAddress : IStartupFilter
{
    public const string HeaderName = "X-Test-Peer";

    public static void Register(IServiceCollection services) => services.AddSingleton<IStartupFilter, TestPeerAddress>();

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
        {
            if (context.Request.Headers.TryGetValue(HeaderName, out var value) && IPAddress.TryParse(value.ToString(), out var address))
            {
                context.Connection.RemoteIpAddress = address;
                context.Request.Headers.Remove(HeaderName);
            }
            return nextMiddleware(context);
        });
        next(app);
    };

    /// <summary>A request that seems to come from <paramref name="peer"/>.</summary>
    public static HttpRequestMessage Request(HttpMethod method, string path, string peer, string? forwardedFor = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Add(HeaderName, peer);
        if (forwardedFor is not null)
        {
            request.Headers.Add("X-Forwarded-For", forwardedFor);
        }
        return request;
    }
}
