using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Security;

/// <summary>
/// <c>POST /account/password-check</c>: the strength meter of the change-password page. Signed-in users
/// only (fallback policy), antiforgery-checked (a [FromForm] endpoint), answers in the request culture.
/// The history rule is not checked here: that would tell a caller which old passwords an account had.
/// </summary>
public static class PasswordCheckApi
{
    public const string Path = "/account/password-check";

    public static IEndpointRouteBuilder MapPasswordCheckApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(Path, CheckAsync).WithName("PasswordCheck").ExcludeFromDescription();
        return endpoints;
    }

    internal static async Task<Results<Ok<PasswordCheckResult>, UnauthorizedHttpResult>> CheckAsync(
        HttpContext context, [AsParameters] PasswordCheckServices services, [FromForm] string? password)
    {
        var user = await services.Users.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var policy = await services.Policies.GetAsync(context.RequestAborted);
        // Far beyond any policy's maximum: say so without spending time scoring it.
        var candidate = password ?? "";
        if (candidate.Length > 2 * PasswordPolicy.MaxLengthCeiling)
        {
            candidate = candidate[..(2 * PasswordPolicy.MaxLengthCeiling)];
        }
        var check = PasswordRules.Check(policy, candidate, user.Email, user.DisplayName);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new PasswordCheckResult(check.Score, [.. check.Violations.Select(v => new PasswordViolation(v.Code, v.Message))]));
    }
}

/// <summary>What the password check uses, bound with [AsParameters].</summary>
internal readonly record struct PasswordCheckServices(UserManager<StaffUser> Users, IPasswordPolicyStore Policies);
