using System.Globalization;
using Kuroco.Admin.Api;
using Kuroco.Admin.Security;
using Kuroco.Core.Members;
using Kuroco.Core.Security.SignIn;
using Kuroco.Infrastructure.Members;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;

namespace Kuroco.Admin.Members;

/// <summary>
/// The member API under <c>/api/v1/members</c>, what the customer's websites call for their members: register, verify
/// (also accepting an invitation), login, refresh, logout, me (read and change), password change, forgot and reset.
/// Like all of /api/v1 it needs the site's API key — any valid key, read or read-write, of any content types: the key
/// says "one of our websites", while what a member may change is decided by the member's own credentials (password,
/// mailed token, access token). Member endpoints take the key in X-API-Key, because Authorization carries the member's
/// access token. The handlers only read bodies and shape answers: the rules are the member services' and the one
/// sign-in service's. Answers are never cached (<c>Cache-Control: no-store</c>).
/// </summary>
public static class MemberAccountApi
{
    public const string TokenScheme = "MemberToken";

    public static RouteGroupBuilder MapMemberAccountApi(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var members = v1.MapGroup("/members").WithTags("Members");
        members.AddEndpointFilter(async (invocation, next) =>
        {
            invocation.HttpContext.Response.Headers.CacheControl = "no-store";
            return await next(invocation);
        });
        members.ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        members.MapPost("/register", RegisterAsync)
            .WithName("MemberRegister")
            .WithSummary("Register a member")
            .WithDescription("Answers 202 whether or not the address already belongs to a member (nothing reveals which addresses are members; both take one password hash). " +
                "A new address becomes a member pending verification and is mailed a verification link in its language (or is active at once when the registration settings do not require verification); " +
                "the address of a member still pending is re-registered with a new link; an active member's address gets a mail saying someone tried to register with it. " +
                "403 when registration is closed or by invitation only (the same for every address); 400 with `errors` for bad input, a refused email domain or a password the member policy refuses.")
            .Accepts<MemberRegisterRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status403Forbidden);
        members.MapPost("/verify", VerifyAsync)
            .WithName("MemberVerify")
            .WithSummary("Confirm the email address, or accept an invitation")
            .WithDescription("`token` from the link in the mail (`/members/verify?token=…` or `/members/invitation?token=…` on the website). A verification token makes the member active; an invitation token needs `password` too, which the member policy checks. " +
                "Each token works once and expires (verification: the settings' hours, 24 by default; invitation: 72). A bad, used or expired token is 400 with one generic message (`errors.token`). Answers 204.")
            .Accepts<MemberVerifyRequest>("application/json")
            .ProducesValidationProblem();
        members.MapPost("/login", LoginAsync)
            .WithName("MemberLogin")
            .WithSummary("Sign a member in")
            .WithDescription("200 with an access token (JWT, 15 minutes by default) and a refresh token. A wrong email or password, and a locked, suspended, unverified or password-less member, all get the same 401. " +
                "The member password policy locks a member after its number of failures (5 by default); sign-ins are limited per client address and per account (429 with Retry-After).")
            .Accepts<MemberLoginRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        members.MapPost("/refresh", RefreshAsync)
            .WithName("MemberRefresh")
            .WithSummary("Exchange a refresh token for a new pair")
            .WithDescription("Each refresh token works once: the answer carries its successor. Presenting one that was already used ends that whole sign-in (every token descended from it) and answers 401; so does an expired or revoked one.")
            .Accepts<MemberRefreshRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        members.MapPost("/logout", LogoutAsync)
            .WithName("MemberLogout")
            .WithSummary("Sign out (revoke the refresh token)")
            .WithDescription("Ends the sign-in the refresh token belongs to. 204 whatever the token (an unknown one changes nothing). The access token stays valid until it expires; discard it.")
            .Accepts<MemberRefreshRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        members.MapGet("/me", GetMeAsync)
            .WithName("MemberGetMe")
            .WithSummary("The signed-in member")
            .WithDescription("Needs the member's access token (Authorization: Bearer) besides the site's key in X-API-Key.")
            .RequireMember().DocumentMemberToken();
        members.MapPatch("/me", UpdateMeAsync)
            .WithName("MemberUpdateMe")
            .WithSummary("Change the signed-in member's details")
            .WithDescription("Only what is sent changes: `displayName`, `nameKana` (\"\" clears it), `language`, and `profile` fields by key (null clears one), validated with the fields' rules (400 with `errors` keyed `profile.KEY`). " +
                "The email address cannot be changed here (400 on `email`): a new address must be proved first, which the website's support does in the console.")
            .Accepts<MemberUpdateRequest>("application/json")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict)
            .RequireMember().DocumentMemberToken();
        members.MapPost("/password", ChangePasswordAsync)
            .WithName("MemberChangePassword")
            .WithSummary("Change the password")
            .WithDescription("`currentPassword` and `newPassword` (member policy and history). Every sign-in of the member ends — access tokens at once, every refresh token revoked — and the answer is a new token pair for this client. The member is told by mail.")
            .Accepts<MemberPasswordChangeRequest>("application/json")
            .ProducesValidationProblem()
            .RequireMember().DocumentMemberToken();
        members.MapPost("/password/forgot", ForgotPasswordAsync)
            .WithName("MemberForgotPassword")
            .WithSummary("Ask for a password-reset mail")
            .WithDescription("Always 202, at once: the address is looked up afterwards, and only an active member is mailed a link (`/members/reset-password?token=…`, one hour, single use). At most one such mail per address per minute.")
            .Accepts<MemberForgotPasswordRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest);
        members.MapPost("/password/reset", ResetPasswordAsync)
            .WithName("MemberResetPassword")
            .WithSummary("Set a new password with a reset token")
            .WithDescription("`token` from the reset mail and the new `password` (member policy and history). 204; every sign-in of the member ends and a lock is lifted. A bad, used or expired token is 400 with one generic message.")
            .Accepts<MemberResetPasswordRequest>("application/json")
            .ProducesValidationProblem();
        return v1;
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> RegisterAsync(HttpContext context, [FromServices] IMemberRegistration registration,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberRegisterRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var result = await registration.RegisterAsync(
            new MemberRegistrationRequest(body.Email, body.Password, body.DisplayName, body.Language, body.NameKana, body.Profile), cancellationToken);
        return result.Succeeded ? TypedResults.Accepted((string?)null) : result.ToProblem();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> VerifyAsync(HttpContext context, [FromServices] IMemberRegistration registration,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberVerifyRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var result = await registration.VerifyAsync(body.Token, body.Password, cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
    }

    public static async Task<Results<Ok<MemberTokenResponse>, ProblemHttpResult>> LoginAsync(HttpContext context,
        [FromKeyedServices(MemberSignIn.ServiceKey)] ISignInService signIn, [FromServices] MemberSignInTokens issued, CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberLoginRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var outcome = await signIn.PasswordSignInAsync(body.Email, body.Password, body.RememberMe, cancellationToken);
        if (outcome.IsSignedIn && issued.Issued is { } tokens)
        {
            return TypedResults.Ok(MemberTokenResponse.From(tokens, outcome.Status == SignInStatus.RequiresPasswordChange));
        }
        if (outcome.Status == SignInStatus.Throttled)
        {
            var seconds = RateLimiting.RetryAfterSeconds(outcome.RetryAfter);
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return ApiProblems.Problem(StatusCodes.Status429TooManyRequests,
                $"Too many sign-in attempts for this account: try again in {seconds} seconds.");
        }
        // Unknown, wrong password, locked, suspended, unverified: one answer (the audit log and the console know why).
        return Unauthorized(context, "Member.SignIn.Failed");
    }

    public static async Task<Results<Ok<MemberTokenResponse>, ProblemHttpResult>> RefreshAsync(HttpContext context, [FromServices] IMemberSessions sessions,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberRefreshRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var outcome = await sessions.RefreshAsync(body.RefreshToken, cancellationToken);
        return outcome.Tokens is { } tokens ? TypedResults.Ok(MemberTokenResponse.From(tokens)) : Unauthorized(context, "Member.Refresh.Invalid");
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> LogoutAsync(HttpContext context, [FromServices] IMemberSessions sessions,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberRefreshRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        await sessions.LogoutAsync(body.RefreshToken, cancellationToken);
        return TypedResults.NoContent();
    }

    public static async Task<Results<Ok<MemberMeResponse>, ProblemHttpResult>> GetMeAsync(HttpContext context, [FromServices] IMemberSelfService self,
        CancellationToken cancellationToken)
    {
        var result = await self.GetAsync(await MemberIdAsync(context), cancellationToken);
        return result.TryGetValue(out var view) ? TypedResults.Ok(MemberMeResponse.From(view)) : result.ToProblem();
    }

    public static async Task<Results<Ok<MemberMeResponse>, ProblemHttpResult>> UpdateMeAsync(HttpContext context, [FromServices] IMemberSelfService self,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberUpdateRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var result = await self.UpdateAsync(await MemberIdAsync(context),
            new MemberProfileChange(body.DisplayName, body.NameKana, body.Language, body.Profile, EmailGiven: body.Email is not null), cancellationToken);
        return result.TryGetValue(out var view) ? TypedResults.Ok(MemberMeResponse.From(view)) : result.ToProblem();
    }

    public static async Task<Results<Ok<MemberTokenResponse>, ProblemHttpResult>> ChangePasswordAsync(HttpContext context,
        [FromServices] IMemberSelfService self, CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberPasswordChangeRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var result = await self.ChangePasswordAsync(await MemberIdAsync(context), body.CurrentPassword, body.NewPassword, body.RememberMe, cancellationToken);
        return result.TryGetValue(out var tokens) ? TypedResults.Ok(MemberTokenResponse.From(tokens)) : result.ToProblem();
    }

    public static async Task<Results<Accepted, ProblemHttpResult>> ForgotPasswordAsync(HttpContext context, [FromServices] IMemberPasswordReset reset,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberForgotPasswordRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        await reset.RequestAsync(body.Email, cancellationToken);
        return TypedResults.Accepted((string?)null);
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> ResetPasswordAsync(HttpContext context, [FromServices] IMemberPasswordReset reset,
        CancellationToken cancellationToken)
    {
        var (body, problem) = await MemberApiBody.ReadAsync<MemberResetPasswordRequest>(context, cancellationToken);
        if (body is null)
        {
            return problem!;
        }
        var result = await reset.ResetAsync(body.Token, body.Password, cancellationToken);
        return result.Succeeded ? TypedResults.NoContent() : result.ToProblem();
    }

    /// <summary>The member of a request that passed <see cref="MemberRequests.RequireMember{TBuilder}"/>.</summary>
    private static async Task<Guid> MemberIdAsync(HttpContext context) =>
        await MemberRequests.MemberIdAsync(context) ?? throw new InvalidOperationException("The endpoint is not behind RequireMember().");

    private static ProblemHttpResult Unauthorized(HttpContext context, string messageKey)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.Problem(StatusCodes.Status401Unauthorized, MemberAccountMessages.Get(messageKey));
    }

    /// <summary>
    /// In the OpenAPI document: the endpoint needs the site's key in X-API-Key and the member's access token as
    /// Authorization: Bearer (together), instead of the key alone.
    /// </summary>
    private static RouteHandlerBuilder DocumentMemberToken(this RouteHandlerBuilder builder) =>
        builder.ProducesProblem(StatusCodes.Status401Unauthorized).AddOpenApiOperationTransformer((operation, context, _) =>
        {
            var document = context.Document;
            if (document is null)
            {
                return Task.CompletedTask;
            }
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes.TryAdd(TokenScheme, new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A member's access token from POST /api/v1/members/login or /refresh, as Authorization: Bearer …; the site's API key then goes in X-API-Key.",
            });
            operation.Security =
            [
                new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(Core.Api.ApiKeyDefaults.Scheme, document)] = [],
                    [new OpenApiSecuritySchemeReference(TokenScheme, document)] = [],
                },
            ];
            return Task.CompletedTask;
        });
}
