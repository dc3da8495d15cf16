using System.Globalization;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Security;
using Kuroco.Core.Staff;
using Microsoft.AspNetCore.Identity;

namespace Kuroco.Infrastructure.Identity;

/// <summary>
/// A new one-time password for an Administrator, for when the bootstrap password was lost (the reset-password command):
/// strong and generated, to be changed at the next sign-in; the account is unlocked and enabled, and its open sessions
/// end (new security stamp). Only Administrators: anyone else is reset by an Administrator in the console.
/// </summary>
public sealed class AdministratorPasswordReset(
    UserManager<StaffUser> users,
    IPasswordPolicyStore policies,
    IAuditLog audit)
{
    /// <summary>Issues the password; the value is the password itself, shown once to whoever ran the command.</summary>
    public async Task<Result<string>> IssueAsync(string? email, AuditActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        email = (email ?? "").Trim();
        if (!EmailRules.IsValid(email))
        {
            return Result<string>.Invalid($"\"{email}\" is not an email address.");
        }
        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            return Result<string>.NotFound($"No staff account has the email {email}.");
        }
        if (!await users.IsInRoleAsync(user, StaffRoles.Administrator))
        {
            return Result<string>.Forbidden($"{email} is not an Administrator: an Administrator resets other accounts in the console (Staff › Force password change).");
        }
        var policy = await policies.GetAsync(cancellationToken);
        var password = PasswordGenerator.Generate(Math.Max(20, policy.MinLength));
        var before = new { user.IsEnabled, user.MustChangePassword, user.LockoutEnd };
        // One step that either sets the new password (checked against the policy, kept in the history, a new security
        // stamp that ends every open session, a mail to the owner) or changes nothing. No transaction around it: the
        // mail and its audit entry are written through other connections, which a transaction here would lock out.
        var reset = await users.ResetPasswordAsync(user, await users.GeneratePasswordResetTokenAsync(user), password);
        if (!reset.Succeeded)
        {
            return Result<string>.Invalid([.. reset.Errors.Select(e => e.Description)]);
        }
        user.IsEnabled = true;
        user.MustChangePassword = true;
        user.LockoutEnd = null;
        user.AccessFailedCount = 0;
        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return Result<string>.Invalid([.. updated.Errors.Select(e => e.Description)]);
        }
        var changes = new List<FieldChange> { new("Password", null, "(one-time password)") };
        if (!before.MustChangePassword)
        {
            changes.Add(new FieldChange("MustChangePassword", "false", "true"));
        }
        if (!before.IsEnabled)
        {
            changes.Add(new FieldChange("IsEnabled", "false", "true"));
        }
        if (before.LockoutEnd is { } end)
        {
            changes.Add(new FieldChange("LockoutEnd", end.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), null));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.StaffOneTimePasswordIssued, "Staff", user.Id,
            AuditParameters.Of(("email", email)),
            changes: changes)
        { Actor = actor }, cancellationToken);
        return Result.Ok(password);
    }
}
