using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Kuroco.Admin.Api;
using Kuroco.Core.Members;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kuroco.Admin.Members;

/// <summary>POST /api/v1/members/register.</summary>
public sealed record MemberRegisterRequest(
    [property: Description("The member's email address (also the sign-in name).")] string? Email,
    [property: Description("A password under the member password policy.")] string? Password,
    [property: Description("The member's name as shown and used in mails (1–100 characters).")] string? DisplayName,
    [property: Description("\"ja\" (default) or \"en\": the language of the member's mails.")] string? Language,
    [property: Description("The name's reading in kana (optional, up to 100 characters).")] string? NameKana,
    [property: Description("Custom profile fields by key, typed: strings, numbers, true/false, ISO 8601 date-times, arrays of strings for multiple choice.")]
    Dictionary<string, JsonElement>? Profile);

/// <summary>POST /api/v1/members/verify.</summary>
public sealed record MemberVerifyRequest(
    [property: Description("The token from the link in the verification or invitation mail.")] string? Token,
    [property: Description("Only with an invitation token, and required then: the password the invited member chooses.")] string? Password);

/// <summary>POST /api/v1/members/login.</summary>
public sealed record MemberLoginRequest(
    string? Email,
    string? Password,
    [property: Description("Keep the sign-in for the member policy's remember-me days (when the policy allows it) instead of one day.")] bool RememberMe);

/// <summary>POST /api/v1/members/refresh and /logout.</summary>
public sealed record MemberRefreshRequest([property: Description("The refresh token of the last answer (single use).")] string? RefreshToken);

/// <summary>POST /api/v1/members/password.</summary>
public sealed record MemberPasswordChangeRequest(
    string? CurrentPassword,
    string? NewPassword,
    [property: Description("Whether the new sign-in this answer starts is remembered (as at login).")] bool RememberMe);

/// <summary>POST /api/v1/members/password/forgot.</summary>
public sealed record MemberForgotPasswordRequest(string? Email);

/// <summary>POST /api/v1/members/password/reset.</summary>
public sealed record MemberResetPasswordRequest(
    [property: Description("The token from the link in the password-reset mail.")] string? Token,
    [property: Description("The new password, under the member password policy and its history.")] string? Password);

/// <summary>PATCH /api/v1/members/me: only what is sent changes.</summary>
public sealed record MemberUpdateRequest(
    string? DisplayName,
    [property: Description("An empty string clears the reading.")] string? NameKana,
    string? Language,
    [property: Description("Profile fields to change, by key; null clears a field. Fields not sent keep their values.")] Dictionary<string, JsonElement>? Profile,
    [property: Description("Not accepted: the email address cannot be changed over the API (400).")] string? Email);

/// <summary>A successful sign-in, refresh or password change.</summary>
public sealed record MemberTokenResponse(
    [property: Description("A signed JWT for Authorization: Bearer on member endpoints and member-only content.")] string AccessToken,
    [property: Description("Seconds the access token is valid.")] int ExpiresIn,
    [property: Description("Opaque, single use: exchange it at /refresh for a new pair before the access token expires.")] string RefreshToken,
    [property: Description("Always \"Bearer\".")] string TokenType,
    [property: Description("When this sign-in ends at the latest, however often it is refreshed.")] DateTimeOffset RefreshTokenExpiresAt,
    [property: Description("The member must change the password (expired under the policy, or required by staff): send them to a password form.")] bool PasswordChangeRequired)
{
    public static MemberTokenResponse From(MemberTokenPair pair, bool passwordChangeRequired = false)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new(pair.AccessToken, pair.ExpiresIn, pair.RefreshToken, "Bearer",
            new DateTimeOffset(DateTime.SpecifyKind(pair.RefreshTokenExpiresAtUtc, DateTimeKind.Utc)), passwordChangeRequired);
    }
}

/// <summary>A group the member belongs to.</summary>
public sealed record MemberGroupResponse(Guid Id, [property: Description("The name in the member's language.")] string Name, string NameJa, string NameEn);

/// <summary>GET /api/v1/members/me.</summary>
public sealed record MemberMeResponse(
    Guid Id,
    string Email,
    string DisplayName,
    string? NameKana,
    string Language,
    [property: Description("\"active\" (only active members can sign in).")] string Status,
    DateTimeOffset? EmailVerifiedAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LastSignInAt,
    IReadOnlyList<MemberGroupResponse> Groups,
    [property: Description("Every active custom profile field by key, typed (null when empty; [] for an empty multiple choice).")] Dictionary<string, object?> Profile)
{
    public static MemberMeResponse From(MemberProfileView view)
    {
        ArgumentNullException.ThrowIfNull(view);
        var m = view.Member;
        return new(m.Id, m.Email, m.DisplayName, m.NameKana, m.Language, JsonNamingPolicy.CamelCase.ConvertName(m.Status.ToString()),
            Utc(m.EmailVerifiedAtUtc), Utc(m.CreatedAtUtc)!.Value, Utc(m.LastSignInAtUtc),
            [.. view.Groups.Select(g => new MemberGroupResponse(g.Id, g.NameFor(m.Language), g.NameJa, g.NameEn))],
            MemberAccountProfile.Typed(view.Fields, m.ProfileJson));
    }

    private static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;
}

/// <summary>
/// Reads a member API body: JSON (else 415), an object of the endpoint's properties only (an unknown or mistyped
/// property is a 400 naming where, so a typo never silently drops a value), at most 4 MiB like every request.
/// </summary>
internal static class MemberApiBody
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        MaxDepth = 16,
    };

    public static async Task<(T? Body, ProblemHttpResult? Problem)> ReadAsync<T>(HttpContext context, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.HasJsonContentType())
        {
            return (null, ApiProblems.Problem(StatusCodes.Status415UnsupportedMediaType, "Send a JSON object with Content-Type: application/json."));
        }
        try
        {
            var body = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, Options, cancellationToken);
            return body is null
                ? (null, ApiProblems.BadParameter("body", "The body must be a JSON object."))
                : (body, null);
        }
        catch (JsonException ex)
        {
            var path = ex.Path is { Length: > 100 } longPath ? longPath[..100] : ex.Path;
            var at = string.IsNullOrEmpty(path) || path == "$" ? "" : $" (at {path})";
            return (null, ApiProblems.BadParameter("body", $"The body is not a JSON object of this endpoint's properties{at}: check names and types."));
        }
    }
}
