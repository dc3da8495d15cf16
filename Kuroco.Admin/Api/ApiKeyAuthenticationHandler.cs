using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Kuroco.Core.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kuroco.Admin.Api;

public sealed class ApiKeyAuthenticationOptions : AuthenticationSchemeOptions;

/// <summary>
/// The "ApiKey" scheme: authenticates /api/v1 requests (and nothing else) by a key in <c>X-API-Key</c>
/// or <c>Authorization: Bearer</c>. A missing key is "no result" (public endpoints may still answer);
/// an unknown, revoked or expired key fails, and the challenge is a 401 problem with WWW-Authenticate.
/// </summary>
public sealed partial class ApiKeyAuthenticationHandler(
    IOptionsMonitor<ApiKeyAuthenticationOptions> options,
    ILoggerFactory loggerFactory,
    UrlEncoder encoder,
    IApiKeyValidator keys,
    IProblemDetailsService problems) : AuthenticationHandler<ApiKeyAuthenticationOptions>(options, loggerFactory, encoder)
{
    /// <summary>Set in HttpContext.Items when a key was presented and refused.</summary>
    public const string FailureItem = "Kuroco.ApiKeyRejected";

    public const string Realm = "Kuroco API";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!ApiPaths.IsV1(Request.Path))
        {
            return AuthenticateResult.NoResult();
        }
        var presented = ReadKey(Request);
        if (presented is null)
        {
            return AuthenticateResult.NoResult();
        }
        var lookup = await keys.ValidateAsync(presented, Context.RequestAborted);
        if (lookup.Key is not { } key)
        {
            Context.Items[FailureItem] = lookup.Rejection;
            LogRejected(Logger, lookup.Rejection, presented.Length >= ApiKeySecret.PrefixLength ? ApiKeySecret.Prefix(presented) : "(short)");
            return AuthenticateResult.Fail("The API key is not valid.");
        }
        await keys.TouchAsync(key.Id, Context.RequestAborted);
        var claims = key.Scope.ToClaims().ToList();
        claims.Add(new Claim(ApiClaims.KeyName, key.Name));
        claims.Add(new Claim(ApiClaims.KeyPrefix, ApiKeySecret.Prefix(presented)));
        if (key.ExpiresAtUtc is { } expires)
        {
            claims.Add(new Claim(ApiClaims.ExpiresAt, expires.ToString("O", CultureInfo.InvariantCulture)));
        }
        var identity = new ClaimsIdentity(claims, ApiKeyDefaults.Scheme, ApiClaims.KeyName, ClaimTypes.Role);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), ApiKeyDefaults.Scheme));
    }

    /// <summary>The key from X-API-Key, else from "Authorization: Bearer", else null.</summary>
    public static string? ReadKey(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers[ApiKeyDefaults.HeaderName];
        if (header.Count > 0 && !string.IsNullOrWhiteSpace(header[0]))
        {
            return header[0]!.Trim();
        }
        var authorization = request.Headers.Authorization;
        if (authorization.Count > 0 && authorization[0] is { } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            var token = value["Bearer ".Length..].Trim();
            return token.Length == 0 ? null : token;
        }
        return null;
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var refused = Context.Items.ContainsKey(FailureItem);
        Response.Headers.Append("WWW-Authenticate", refused
            ? $"Bearer realm=\"{Realm}\", error=\"invalid_token\", error_description=\"The API key is unknown, revoked or expired\""
            : $"Bearer realm=\"{Realm}\"");
        Response.Headers.Append("WWW-Authenticate", $"ApiKey realm=\"{Realm}\", header=\"{ApiKeyDefaults.HeaderName}\"");
        await ApiProblems.WriteAsync(problems, Context, StatusCodes.Status401Unauthorized, refused
            ? "The API key is unknown, revoked or expired."
            : $"An API key is required: send it in the {ApiKeyDefaults.HeaderName} header or as \"Authorization: Bearer <key>\".");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(problems, Context, StatusCodes.Status403Forbidden, "The API key does not allow this request.");

    [LoggerMessage(Level = LogLevel.Information, Message = "API key refused ({Reason}), prefix {Prefix}.")]
    private static partial void LogRejected(ILogger logger, ApiKeyRejection reason, string prefix);
}
