using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using System.Security.Cryptography;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kuroco.Admin.Members;

/// <summary>Names of the member API's bearer scheme, its policy and its token's claims.</summary>
public static class MemberBearerDefaults
{
    public const string Scheme = "MemberBearer";

    public const string Issuer = "kuroco";
    public const string Audience = "kuroco-members";

    /// <summary>The member's security stamp when the token was issued.</summary>
    public const string StampClaim = "sst";

    /// <summary>The member id (the JWT's <c>sub</c>).</summary>
    public const string MemberIdClaim = JwtRegisteredClaimNames.Sub;

    /// <summary>The member id of a principal the MemberBearer scheme authenticated, or null.</summary>
    public static Guid? MemberId(ClaimsPrincipal user) =>
        user?.Identities.FirstOrDefault(i => i.AuthenticationType == Scheme && i.IsAuthenticated)?.FindFirst(MemberIdClaim)?.Value is { } sub
        && Guid.TryParse(sub, out var id) ? id : null;
}

/// <summary>Kuroco:Members:Tokens — the member API's tokens.</summary>
public sealed class MemberTokenOptions
{
    public const string SectionName = "Kuroco:Members:Tokens";
    public const int MinSigningKeyBytes = 32;

    /// <summary>
    /// The HMAC key (base64, at least 32 bytes). Empty: one is generated into the data folder
    /// (<c>keys/member-token-signing.key</c>) on first start; several instances then need the same data folder or this setting.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Lifetime of an access token (5–60 minutes).</summary>
    public int AccessTokenMinutes { get; set; } = 15;

    public bool HasValidSigningKey()
    {
        if (string.IsNullOrWhiteSpace(SigningKey))
        {
            return true;
        }
        Span<byte> buffer = stackalloc byte[512];
        return Convert.TryFromBase64String(SigningKey, buffer, out var written) && written >= MinSigningKeyBytes;
    }
}

/// <summary>The signing key: from configuration, else from (or first written to) the data folder with owner-only permissions.</summary>
public sealed class MemberSigningKey
{
    public const string FileName = "member-token-signing.key";

    public MemberSigningKey(IOptions<MemberTokenOptions> options, IOptions<StorageOptions> storage)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        var configured = options.Value.SigningKey;
        Key = new SymmetricSecurityKey(string.IsNullOrWhiteSpace(configured)
            ? LoadOrCreate(Path.Combine(storage.Value.DataPath, "keys", FileName))
            : Convert.FromBase64String(configured));
    }

    public SymmetricSecurityKey Key { get; }

    private static byte[] LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            return Convert.FromBase64String(File.ReadAllText(path).Trim());
        }
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var key = RandomNumberGenerator.GetBytes(64);
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var fileOptions = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            // Owner-only from the moment it exists: the key signs every member's access token.
            fileOptions.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var file = new FileStream(temporary, fileOptions))
        using (var writer = new StreamWriter(file))
        {
            writer.Write(Convert.ToBase64String(key));
        }
        try
        {
            // Two instances starting at once: the first move wins and both read the winner.
            File.Move(temporary, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            File.Delete(temporary);
        }
        return Convert.FromBase64String(File.ReadAllText(path).Trim());
    }
}

internal sealed class MemberAccessTokens(MemberSigningKey key, IOptions<MemberTokenOptions> options, TimeProvider clock) : IMemberAccessTokens
{
    private readonly JsonWebTokenHandler handler = new();

    public MemberAccessToken Issue(Member member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var now = clock.GetUtcNow().UtcDateTime;
        var lifetime = TimeSpan.FromMinutes(options.Value.AccessTokenMinutes);
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = MemberBearerDefaults.Issuer,
            Audience = MemberBearerDefaults.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
            Claims = new Dictionary<string, object>
            {
                [MemberBearerDefaults.MemberIdClaim] = member.Id.ToString(),
                [MemberBearerDefaults.StampClaim] = member.SecurityStamp,
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
            },
        });
        return new MemberAccessToken(token, (int)lifetime.TotalSeconds);
    }
}

/// <summary>After the signature and lifetime check: the member must still be active with the same security stamp.</summary>
internal sealed class MemberBearerEvents(IDbContextFactory<KurocoDbContext> contexts) : JwtBearerEvents
{
    public override async Task TokenValidated(TokenValidatedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var principal = context.Principal;
        var sub = principal?.FindFirst(MemberBearerDefaults.MemberIdClaim)?.Value;
        var stamp = principal?.FindFirst(MemberBearerDefaults.StampClaim)?.Value;
        if (!Guid.TryParse(sub, out var memberId) || string.IsNullOrEmpty(stamp))
        {
            context.Fail("The token names no member.");
            return;
        }
        await using var db = await contexts.CreateDbContextAsync(context.HttpContext.RequestAborted);
        var current = await Session(db, memberId);
        if (current is null || current.Status != MemberStatus.Active || !string.Equals(current.SecurityStamp, stamp, StringComparison.Ordinal))
        {
            context.Fail("The member's sessions have ended.");
        }
    }

    // Compiled: every request with a member's token runs it (a member-only list paid a tenth of its CPU for EF building the query).
    private static readonly Func<KurocoDbContext, Guid, Task<MemberSession?>> Session =
        EF.CompileAsyncQuery((KurocoDbContext db, Guid memberId) =>
            db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new MemberSession(m.Status, m.SecurityStamp)).FirstOrDefault());

    private sealed record MemberSession(MemberStatus Status, string? SecurityStamp);
}

public static class MemberBearerSetup
{
    public static IServiceCollection AddMemberBearer(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MemberTokenOptions>().Bind(configuration.GetSection(MemberTokenOptions.SectionName))
            .Validate(o => o.HasValidSigningKey(), $"{MemberTokenOptions.SectionName}:SigningKey must be base64 of at least {MemberTokenOptions.MinSigningKeyBytes} bytes.")
            .Validate(o => o.AccessTokenMinutes is >= 5 and <= 60, $"{MemberTokenOptions.SectionName}:AccessTokenMinutes must be from 5 to 60.")
            .ValidateOnStart();
        services.AddSingleton<MemberSigningKey>();
        services.AddSingleton<IMemberAccessTokens, MemberAccessTokens>();
        services.AddScoped<MemberBearerEvents>();
        services.AddAuthentication().AddJwtBearer(MemberBearerDefaults.Scheme, o =>
        {
            o.MapInboundClaims = false;
            o.EventsType = typeof(MemberBearerEvents);
        });
        services.AddOptions<JwtBearerOptions>(MemberBearerDefaults.Scheme).Configure<MemberSigningKey, TimeProvider>((o, key, clock) =>
            o.TokenValidationParameters = new TokenValidationParameters
            {
                // The lifetime against the app's clock (the one that issued the token), not DateTime.UtcNow.
                LifetimeValidator = (notBefore, expires, _, parameters) =>
                {
                    var now = clock.GetUtcNow().UtcDateTime;
                    return expires is { } end && now < end.ToUniversalTime() + parameters.ClockSkew
                        && (notBefore is not { } start || now >= start.ToUniversalTime() - parameters.ClockSkew);
                },
                ValidIssuer = MemberBearerDefaults.Issuer,
                ValidAudience = MemberBearerDefaults.Audience,
                IssuerSigningKey = key.Key,
                ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = MemberBearerDefaults.MemberIdClaim,
                AuthenticationType = MemberBearerDefaults.Scheme,
            });
        return services;
    }
}

/// <summary>
/// The member of a request. /api/v1 already requires the site's API key (the request's user is the key); the member's
/// access token is authenticated on its own, so that a missing or spent token is a 401 (not a 403 of the key's user).
/// </summary>
public static class MemberRequests
{
    private static readonly object ItemKey = new();

    /// <summary>The member whose valid access token (Authorization: Bearer) the request carries, or null. Checked once per request.</summary>
    public static async Task<Guid?> MemberIdAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Items.TryGetValue(ItemKey, out var known))
        {
            return (Guid?)known;
        }
        var result = await context.AuthenticateAsync(MemberBearerDefaults.Scheme);
        var id = result.Succeeded && result.Principal is { } principal ? MemberBearerDefaults.MemberId(principal) : null;
        context.Items[ItemKey] = id;
        return id;
    }

    /// <summary>The member id an earlier <see cref="MemberIdAsync"/> found for this request, without authenticating again (the API request log).</summary>
    public static Guid? KnownMemberId(HttpContext context) =>
        context is not null && context.Items.TryGetValue(ItemKey, out var known) ? (Guid?)known : null;

    /// <summary>
    /// The endpoints answer 401 (problem details, <c>WWW-Authenticate: Bearer</c>) unless the request carries a member's
    /// valid access token; handlers then read it with <see cref="MemberIdAsync"/>.
    /// </summary>
    public static TBuilder RequireMember<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.AddEndpointFilter(async (invocation, next) =>
        {
            if (await MemberIdAsync(invocation.HttpContext) is null)
            {
                invocation.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
                return Api.ApiProblems.Problem(StatusCodes.Status401Unauthorized,
                    "A member's access token is required (Authorization: Bearer …): sign in with POST /api/v1/members/login, or refresh it.");
            }
            return await next(invocation);
        });
        return builder;
    }
}
