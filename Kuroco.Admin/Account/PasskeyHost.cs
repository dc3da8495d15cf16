using System.Globalization;
using System.Net;

namespace Kuroco.Admin.Account;

/// <summary>
/// WebAuthn binds a passkey to a domain name (the relying party ID): opened by an IP address (http://127.0.0.1:5080,
/// http://[::1]:5080) the browser refuses every passkey call with "SecurityError: This is an invalid domain.". The
/// account pages then offer no passkey buttons and say why.
/// </summary>
public static class PasskeyHost
{
    public static bool IsSupported(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return !IsIpAddress(request.Host.Host);
    }

    public static bool IsIpAddress(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }
        var bare = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        return IPAddress.TryParse(bare, out _);
    }

    /// <summary>Where to open the console instead: localhost for a loopback address, else an example domain.</summary>
    public static string SuggestedOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var host = request.Host.Host;
        var bare = host.Length > 1 && host[0] == '[' && host[^1] == ']' ? host[1..^1] : host;
        if (IPAddress.TryParse(bare, out var address) && IPAddress.IsLoopback(address))
        {
            var port = request.Host.Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "";
            return $"{request.Scheme}://localhost{port}";
        }
        return "https://admin.example.com";
    }
}
