using System.Globalization;
using System.Threading.RateLimiting;
using Kuroco.Core.Scaling;
using Kuroco.Core.Security;
using Kuroco.Core.Security.SignIn;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Security;

/// <summary>
/// ASP.NET Core's rate limiter on the paths worth abusing: sign-in posts per client address and the
/// API per client address and per API key (see <see cref="Api.ApiRateLimitCounters"/>). The per-account sign-in
/// limit lives in <see cref="SignInThrottle"/>, asked by the sign-in service, where the email has already
/// been bound and antiforgery-checked. The client address is the one the trusted-proxy handling settled on.
/// </summary>
public static class RateLimiting
{
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public const string LoginPath = "/account/login";

    /// <summary>Every form that checks a sign-in secret (password or passkey, authenticator code, recovery code): one budget per client.</summary>
    public static readonly string[] SignInPaths = [LoginPath, "/account/login-2fa", "/account/login-recovery"];

    /// <summary>
    /// The member API's posts that check a member's password (sign-in, and the current one on a change) or a mailed token,
    /// or send an account mail: the per-address
    /// sign-in budget (Kuroco:RateLimits:SignInPerIpPerMinute) applies to them as to the console's sign-in forms, counted
    /// apart from those, and on top of the API's own limits.
    /// </summary>
    public static readonly string[] MemberSignInPaths =
    [
        "/api/v1/members/login", "/api/v1/members/register", "/api/v1/members/verify", "/api/v1/members/password",
        "/api/v1/members/password/forgot", "/api/v1/members/password/reset",
    ];

    public static bool IsMemberSignInPost(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method)
            && MemberSignInPaths.Any(p => request.Path.Equals(p, StringComparison.OrdinalIgnoreCase) || request.Path.Equals(p + "/", StringComparison.OrdinalIgnoreCase));
    }

    public static bool IsSignInPost(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return HttpMethods.IsPost(request.Method)
            && SignInPaths.Any(p => request.Path.Equals(p, StringComparison.OrdinalIgnoreCase) || request.Path.Equals(p + "/", StringComparison.OrdinalIgnoreCase));
    }

    public static IServiceCollection AddKurocoRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName))
            .ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SignInThrottle>();
        services.AddSingleton<ISignInThrottle>(sp => sp.GetRequiredService<SignInThrottle>());
        services.AddRateLimiter(_ => { });
        services.AddSingleton<Api.ApiRateLimitCounters>();
        services.AddSingleton<RateLimitRejection>();
        // The options callback gets its services from the options system (singletons), so the rejection
        // handler below is an injected object rather than a lookup in RequestServices.
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, Api.ApiRateLimitCounters, RateLimitRejection, ISharedCounters>((o, limits, apiCounters, rejection, shared) =>
        {
            var signInPerIp = limits.Value.SignInPerIpPerMinute;
            var passwordChecks = limits.Value.PasswordCheckPerMinute;
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            {
                var request = context.Request;
                if (IpRestrictionMiddleware.IsApi(request.Path))
                {
                    // The API: per client address and per key, on counters that can report what is left
                    // (X-RateLimit-* headers); a key is limited even without a peer address.
                    var client = Api.ApiRateLimitCounters.ClientCounter(context);
                    var key = Api.ApiRateLimitCounters.KeyCounter(context);
                    if (client is null && key is null)
                    {
                        return RateLimitPartition.GetNoLimiter("");
                    }
                    return RateLimitPartition.Get("api|" + client + "|" + key, _ => new Api.ApiWindowLimiter(apiCounters, client, key));
                }
                if (context.Connection.RemoteIpAddress is null)
                {
                    // No peer address (in-process test host, or a Unix socket without forwarded headers): one
                    // shared bucket would let a single client lock everyone out, so only the per-account
                    // limit and the lockout apply.
                    return RateLimitPartition.GetNoLimiter("");
                }
                if (IsSignInPost(request))
                {
                    return PerMinute(shared, apiCounters, "sign-in|" + ClientKey(context), signInPerIp);
                }
                if (HttpMethods.IsPost(request.Method) && request.Path.Equals(PasswordCheckApi.Path, StringComparison.OrdinalIgnoreCase))
                {
                    return PerMinute(shared, apiCounters, "password-check|" + ClientKey(context), passwordChecks);
                }
                return RateLimitPartition.GetNoLimiter("");
            });
            // Member sign-in posts are API requests (limited above) and sign-in attempts (limited per address here).
            var memberSignIn = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Connection.RemoteIpAddress is not null && IsMemberSignInPost(context.Request)
                    ? PerMinute(shared, apiCounters, "member-sign-in|" + ClientKey(context), signInPerIp)
                    : RateLimitPartition.GetNoLimiter(""));
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(limiter, memberSignIn);
            o.OnRejected = rejection.OnRejectedAsync;
        });
        return services;
    }

    /// <summary>
    /// The client as the limits see it: an IPv4 address (IPv4-mapped IPv6 as IPv4), or the /64 of an
    /// IPv6 address (one subscriber usually holds a whole /64, so per-address limits would be trivial to dodge).
    /// </summary>
    public static string ClientKey(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Connection.RemoteIpAddress is { } address ? ClientKey(address) : "unknown";
    }

    public static string ClientKey(System.Net.IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        address = IpRange.Normalize(address);
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new System.Net.IPAddress(bytes) + "/64";
    }

    public static int RetryAfterSeconds(TimeSpan retryAfter) => Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));

    /// <summary>
    /// A per-minute partition: ASP.NET Core's fixed window in this process, or — with several instances sharing Redis —
    /// one counter for all of them (<see cref="Api.SharedWindowLimiter"/>).
    /// </summary>
    private static RateLimitPartition<string> PerMinute(ISharedCounters shared, Api.ApiRateLimitCounters counters, string name, int permits) =>
        shared.IsShared
            ? RateLimitPartition.Get(name, _ => new Api.SharedWindowLimiter(counters, name, permits))
            : RateLimitPartition.GetFixedWindowLimiter(name, _ => PerMinute(permits));

    private static FixedWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = Window,
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// The answer to a request over a limit: 429 with Retry-After, as problem details on the API and as a short
/// localized text elsewhere, and one log line (the rate limiter's <see cref="RateLimiterOptions.OnRejected"/>).
/// </summary>
internal sealed partial class RateLimitRejection(
    ILoggerFactory loggerFactory,
    IStringLocalizer<NetworkResource> localizer,
    IProblemDetailsService problems)
{
    // The category the limits have always logged under.
    private readonly ILogger logger = loggerFactory.CreateLogger(typeof(RateLimiting).FullName!);

    public async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var context = rejected.HttpContext;
        LogRejected(logger, RateLimiting.ClientKey(context), context.Request.Method, context.Request.Path);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : RateLimiting.Window;
        var seconds = RateLimiting.RetryAfterSeconds(retryAfter);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers.CacheControl = "no-store";
        var message = localizer["Too many requests. Try again in {0} seconds.", seconds].Value;
        if (IpRestrictionMiddleware.IsApi(context.Request.Path))
        {
            await problems.WriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = { Status = StatusCodes.Status429TooManyRequests, Title = localizer["Too many requests"], Detail = message },
            });
            return;
        }
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(message, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rate limit reached by {Client}: {Method} {Path} answered 429.")]
    private static partial void LogRejected(ILogger logger, string client, string method, PathString path);
}

/// <summary>
/// The per-account sign-in limit (Kuroco:RateLimits:SignInPerAccountPerMinute), keyed by the
/// normalized email the form carried. The sign-in service asks it (<see cref="ISignInThrottle"/>) rather
/// than the rate-limit middleware: the middleware's partition function is synchronous, so reading the form there would
/// need synchronous I/O or a second buffered read ahead of antiforgery and form binding; by the time the
/// service runs the email is bound and the antiforgery token checked. Unknown emails are limited
/// alike, so the limit reveals nothing about which accounts exist.
/// </summary>
public sealed class SignInThrottle : ISignInThrottle, IDisposable
{
    private readonly PartitionedRateLimiter<string> limiter;
    private readonly Api.ApiRateLimitCounters? sharedCounters;
    private readonly int permits;

    /// <summary>With several instances sharing Redis, the per-account count is one for all of them (<see cref="ISharedCounters"/>).</summary>
    public SignInThrottle(IOptions<RateLimitOptions> options, ISharedCounters shared, Api.ApiRateLimitCounters counters)
        : this(options)
    {
        ArgumentNullException.ThrowIfNull(shared);
        sharedCounters = shared.IsShared ? counters : null;
    }

    public SignInThrottle(IOptions<RateLimitOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var permits = this.permits = options.Value.SignInPerAccountPerMinute;
        limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(key, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = RateLimiting.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Counts one attempt for <paramref name="email"/>; false (with the wait) when the account's limit is used up.</summary>
    public bool TryAcquire(string email, out TimeSpan retryAfter)
    {
        ArgumentNullException.ThrowIfNull(email);
        var account = email.Trim().ToUpperInvariant();
        if (sharedCounters is not null)
        {
            // A hash: the shared store never holds the address itself.
            var name = "account|" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(account)), 0, 16);
            return sharedCounters.TryAcquireOne(name, permits, out retryAfter);
        }
        using var lease = limiter.AttemptAcquire(account);
        if (lease.IsAcquired)
        {
            retryAfter = TimeSpan.Zero;
            return true;
        }
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : RateLimiting.Window;
        return false;
    }

    public void Dispose() => limiter.Dispose();
}
