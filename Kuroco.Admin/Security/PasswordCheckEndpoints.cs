using Kuroco.Core.Security;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kuroco.Admin.Security;

/// <summary>
/// <c>POST /account/password-check</c>: the strength meter of the change-password page. Signed-in users
/// only (fallback policy), antiforgery-checked (a [FromForm] endpoint), answers in the request culture.
/// The history rule is not checked here: that would tell a caller which old passwords an account had.
/// </summary>
public static class PasswordCheckEndpoints
{
    public const string Path = "/account/password-check";

    public sealed record Violation(string Code, string Message);

    public sealed record Result(int Score, IReadOnlyList<Violation> Violations);

    public static void MapPasswordCheckEndpoints(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPost(Path, CheckAsync).WithName("PasswordCheck").ExcludeFromDescription();

    internal static async Task<IResult> CheckAsync(
        HttpContext context,
        [FromServices] UserManager<StaffUser> users,
        [FromServices] IPasswordPolicyStore policies,
        [FromForm] string? password)
    {
        var user = await users.GetUserAsync(context.User);
        if (user is null)
        {
            return TypedResults.Unauthorized();
        }
        var policy = await policies.GetAsync(context.RequestAborted);
        // Far beyond any policy's maximum: say so without spending time scoring it.
        var candidate = password ?? "";
        if (candidate.Length > 2 * PasswordPolicy.MaxLengthCeiling)
        {
            candidate = candidate[..(2 * PasswordPolicy.MaxLengthCeiling)];
        }
        var check = PasswordRules.Check(policy, candidate, user.Email, user.DisplayName);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Ok(new Result(check.Score, [.. check.Violations.Select(v => new Violation(v.Code, v.Message))]));
    }
}
