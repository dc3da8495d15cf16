using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Staff;
using Kuroco.Infrastructure.Data;
using Kuroco.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Staff;

/// <summary>Staff management. Every change is audited with before/after values; nothing changes on invalid input.</summary>
internal sealed class StaffService(
    KurocoDbContext db,
    UserManager<StaffUser> users,
    IAuditLog audit,
    IAuditContext auditContext,
    IValidator<CreateStaffRequest> createValidator,
    IValidator<UpdateStaffRequest> updateValidator,
    IValidator<UpdateProfileRequest> profileValidator,
    TimeProvider clock) : IStaffService
{
    // Serializes changes that could remove the last Administrator within this process.
    private static readonly SemaphoreSlim AdminGate = new(1, 1);

    public async Task<StaffPage> ListAsync(StaffQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var q = db.Users.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim().ToUpperInvariant();
            q = q.Where(u => u.NormalizedEmail!.Contains(term) || u.DisplayName.ToUpper().Contains(term));
        }
        var pageSize = Math.Clamp(query.PageSize, 1, StaffQuery.MaxPageSize);
        var total = await q.CountAsync(cancellationToken);
        var page = await q.OrderBy(u => u.NormalizedEmail)
            .Skip(Math.Max(0, query.Page) * pageSize).Take(pageSize)
            .ToListAsync(cancellationToken);
        var ids = page.Select(u => u.Id).ToList();
        var roles = await (from ur in db.UserRoles
                           join r in db.Roles on ur.RoleId equals r.Id
                           where ids.Contains(ur.UserId)
                           select new { ur.UserId, r.Name }).ToListAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var items = page.Select(u => ToSummary(u,
            roles.Where(r => r.UserId == u.Id).Select(r => r.Name!).Order(StringComparer.Ordinal).ToList(), now)).ToList();
        return new StaffPage(items, total);
    }

    public async Task<StaffSummary?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        var user = await FindFreshAsync(id);
        return user is null ? null : ToSummary(user, [.. (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal)], clock.GetUtcNow());
    }

    public async Task<Result<CreatedStaff>> CreateAsync(CreateStaffRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var validation = await createValidator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<CreatedStaff>.Invalid(validation);
        }
        if (await users.FindByEmailAsync(request.Email) is not null)
        {
            return Result<CreatedStaff>.Conflict(CoreMessages.Get("Staff.EmailTaken"));
        }
        var password = PasswordGenerator.Generate();
        var user = new StaffUser
        {
            UserName = request.Email,
            Email = request.Email,
            EmailConfirmed = true,
            DisplayName = request.DisplayName.Trim(),
            TimeZoneId = request.TimeZoneId,
            LockoutEnabled = true,
            MustChangePassword = true,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
        };
        var roles = request.Roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                return Failed(created).As<CreatedStaff>();
            }
            var added = await users.AddToRolesAsync(user, roles);
            if (!added.Succeeded)
            {
                await tx.RollbackAsync(cancellationToken);
                return Failed(added).As<CreatedStaff>();
            }
            await tx.CommitAsync(cancellationToken);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.StaffCreated, "Staff", user.Id,
            AuditParameters.Of(("email", user.Email), ("roles", string.Join(",", roles))),
            changes:
            [
                new FieldChange("Email", null, user.Email),
                new FieldChange("DisplayName", null, user.DisplayName),
                new FieldChange("Roles", null, string.Join(",", roles)),
                new FieldChange("TimeZoneId", null, user.TimeZoneId),
            ]), cancellationToken);
        return Result.Ok(new CreatedStaff(user.Id, password));
    }

    public async Task<Result> UpdateAsync(string id, UpdateStaffRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var validation = await updateValidator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        await AdminGate.WaitAsync(cancellationToken);
        try
        {
            var user = await FindFreshAsync(id);
            if (user is null)
            {
                return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
            }
            var currentRoles = (await users.GetRolesAsync(user)).Order(StringComparer.Ordinal).ToList();
            var desiredRoles = request.Roles.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var isAdmin = user.IsEnabled && currentRoles.Contains(StaffRoles.Administrator);
            var staysAdmin = user.IsEnabled && desiredRoles.Contains(StaffRoles.Administrator);
            if (StaffRules.WouldRemoveLastAdministrator(isAdmin, staysAdmin, await CountEnabledAdministratorsAsync(cancellationToken)))
            {
                return Result.Conflict(CoreMessages.Get("Staff.LastAdministrator"));
            }

            var before = Snapshot(user, currentRoles);
            user.DisplayName = request.DisplayName.Trim();
            user.TimeZoneId = request.TimeZoneId;
            var rolesChanged = !currentRoles.SequenceEqual(desiredRoles, StringComparer.Ordinal);
            await using (var tx = await db.Database.BeginTransactionAsync(cancellationToken))
            {
                var toRemove = currentRoles.Except(desiredRoles, StringComparer.Ordinal).ToList();
                var toAdd = desiredRoles.Except(currentRoles, StringComparer.Ordinal).ToList();
                var steps = new List<IdentityResult>();
                if (toRemove.Count > 0)
                {
                    steps.Add(await users.RemoveFromRolesAsync(user, toRemove));
                }
                if (toAdd.Count > 0)
                {
                    steps.Add(await users.AddToRolesAsync(user, toAdd));
                }
                if (rolesChanged)
                {
                    // A role change ends the user's other sessions (the cookie's stamp no longer matches).
                    steps.Add(await users.UpdateSecurityStampAsync(user));
                }
                steps.Add(await users.UpdateAsync(user));
                var failed = steps.FirstOrDefault(s => !s.Succeeded);
                if (failed is not null)
                {
                    await tx.RollbackAsync(cancellationToken);
                    return Failed(failed);
                }
                await tx.CommitAsync(cancellationToken);
            }
            var changes = AuditChanges.Diff(before, Snapshot(user, desiredRoles));
            if (changes.Count > 0)
            {
                await audit.WriteAsync(new AuditRecord(
                    rolesChanged ? AuditActions.StaffRolesChanged : AuditActions.StaffUpdated, "Staff", user.Id,
                    rolesChanged
                        ? AuditParameters.Of(("email", user.Email), ("roles", string.Join(",", desiredRoles)))
                        : AuditParameters.Of(("email", user.Email)),
                    changes: changes), cancellationToken);
            }
            return Result.Success;
        }
        finally
        {
            AdminGate.Release();
        }
    }

    public async Task<Result> SetEnabledAsync(string id, bool enabled, CancellationToken cancellationToken = default)
    {
        await AdminGate.WaitAsync(cancellationToken);
        try
        {
            var user = await FindFreshAsync(id);
            if (user is null)
            {
                return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
            }
            if (user.IsEnabled == enabled)
            {
                return Result.Success;
            }
            if (!enabled)
            {
                var actor = await auditContext.GetActorAsync();
                if (string.Equals(actor.UserId, user.Id, StringComparison.Ordinal))
                {
                    return Result.Forbidden(CoreMessages.Get("Staff.CannotDisableSelf"));
                }
                var isAdmin = await users.IsInRoleAsync(user, StaffRoles.Administrator);
                if (StaffRules.WouldRemoveLastAdministrator(isAdmin, false, await CountEnabledAdministratorsAsync(cancellationToken)))
                {
                    return Result.Conflict(CoreMessages.Get("Staff.LastAdministrator"));
                }
            }
            user.IsEnabled = enabled;
            // Disabling ends every session of the account.
            var saved = await users.UpdateSecurityStampAsync(user);
            if (!saved.Succeeded)
            {
                return Failed(saved);
            }
            await audit.WriteAsync(new AuditRecord(
                enabled ? AuditActions.StaffEnabled : AuditActions.StaffDisabled, "Staff", user.Id,
                AuditParameters.Of(("email", user.Email)),
                changes: [new FieldChange("IsEnabled", Bool(!enabled), Bool(enabled))]), cancellationToken);
            return Result.Success;
        }
        finally
        {
            AdminGate.Release();
        }
    }

    public async Task<Result> UnlockAsync(string id, CancellationToken cancellationToken = default)
    {
        var user = await FindFreshAsync(id);
        if (user is null)
        {
            return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
        }
        var lockedUntil = user.LockoutEnd;
        var unlocked = await users.SetLockoutEndDateAsync(user, null);
        if (!unlocked.Succeeded)
        {
            return Failed(unlocked);
        }
        var reset = await users.ResetAccessFailedCountAsync(user);
        if (!reset.Succeeded)
        {
            return Failed(reset);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.StaffUnlocked, "Staff", user.Id,
            AuditParameters.Of(("email", user.Email)),
            changes: [new FieldChange("LockoutEnd", lockedUntil?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture), null)]),
            cancellationToken);
        return Result.Success;
    }

    public async Task<Result> ForcePasswordChangeAsync(string id, CancellationToken cancellationToken = default)
    {
        var user = await FindFreshAsync(id);
        if (user is null)
        {
            return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
        }
        var before = user.MustChangePassword;
        user.MustChangePassword = true;
        // New stamp: open sessions end, and the next sign-in carries the must-change claim.
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            return Failed(saved);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.StaffPasswordChangeForced, "Staff", user.Id,
            AuditParameters.Of(("email", user.Email)),
            changes: [new FieldChange("MustChangePassword", Bool(before), Bool(true))]), cancellationToken);
        return Result.Success;
    }

    public async Task<Result> UpdateProfileAsync(string id, UpdateProfileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var validation = await profileValidator.ValidateAsync(request, cancellationToken);
        if (!validation.IsValid)
        {
            return Result.Invalid(validation);
        }
        var user = await FindFreshAsync(id);
        if (user is null)
        {
            return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
        }
        var before = ProfileSnapshot(user);
        user.DisplayName = request.DisplayName.Trim();
        user.TimeZoneId = request.TimeZoneId;
        user.Language = request.Language ?? user.Language;
        return await SaveProfileAsync(user, before, cancellationToken);
    }

    public async Task<Result> SetLanguageAsync(string id, string language, CancellationToken cancellationToken = default)
    {
        if (!StaffLanguages.IsValid(language))
        {
            return Result.Invalid(CoreMessages.Get("Staff.LanguageInvalid"));
        }
        var user = await FindFreshAsync(id);
        if (user is null)
        {
            return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
        }
        if (string.Equals(user.Language, language, StringComparison.Ordinal))
        {
            return Result.Success;
        }
        var before = ProfileSnapshot(user);
        user.Language = language;
        return await SaveProfileAsync(user, before, cancellationToken);
    }

    /// <summary>Saves a profile change and audits what changed (nothing changed: no entry).</summary>
    private async Task<Result> SaveProfileAsync(StaffUser user, Dictionary<string, string?> before, CancellationToken cancellationToken)
    {
        var result = await users.UpdateAsync(user);
        if (!result.Succeeded)
        {
            return Failed(result);
        }
        var changes = AuditChanges.Diff(before, ProfileSnapshot(user));
        if (changes.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(AuditActions.ProfileUpdated, "Staff", user.Id,
                AuditParameters.Of(("email", user.Email)), changes: changes), cancellationToken);
        }
        return Result.Success;
    }

    private static Dictionary<string, string?> ProfileSnapshot(StaffUser user) => new()
    {
        ["DisplayName"] = user.DisplayName,
        ["TimeZoneId"] = user.TimeZoneId,
        ["Language"] = user.Language,
    };

    public async Task<Result> SignOutEverywhereAsync(string id, CancellationToken cancellationToken = default)
    {
        var user = await FindFreshAsync(id);
        if (user is null)
        {
            return Result.NotFound(CoreMessages.Get("Staff.NotFound"));
        }
        var saved = await users.UpdateSecurityStampAsync(user);
        if (!saved.Succeeded)
        {
            return Failed(saved);
        }
        var actor = await auditContext.GetActorAsync();
        await audit.WriteAsync(new AuditRecord(AuditActions.StaffSignedOutEverywhere, "Staff", user.Id,
            string.Equals(actor.UserId, user.Id, StringComparison.Ordinal)
                ? AuditParameters.Of(("email", user.Email), ("variant", "self"))
                : AuditParameters.Of(("email", user.Email))), cancellationToken);
        return Result.Success;
    }

    /// <summary>
    /// Loads the user afresh. The scoped context can live as long as a Blazor circuit, so an
    /// entity tracked earlier may be stale (e.g. locked again since): forget what is tracked.
    /// </summary>
    private Task<StaffUser?> FindFreshAsync(string id)
    {
        db.ChangeTracker.Clear();
        return users.FindByIdAsync(id);
    }

    /// <summary>
    /// Identity's refusal as a result: a duplicate name or e-mail, or a row changed by someone else meanwhile, is a
    /// conflict with the current state; anything else (a malformed e-mail, a role that does not exist) is invalid input.
    /// </summary>
    private static Result Failed(IdentityResult result)
    {
        string[] messages = [.. result.Errors.Select(e => e.Description)];
        return result.Errors.Any(e => e.Code is nameof(IdentityErrorDescriber.DuplicateEmail)
                or nameof(IdentityErrorDescriber.DuplicateUserName) or nameof(IdentityErrorDescriber.ConcurrencyFailure))
            ? Result.Failure(ErrorKind.Conflict, messages)
            : Result.Invalid(messages);
    }

    private Task<int> CountEnabledAdministratorsAsync(CancellationToken cancellationToken) =>
        (from u in db.Users
         join ur in db.UserRoles on u.Id equals ur.UserId
         join r in db.Roles on ur.RoleId equals r.Id
         where r.Name == StaffRoles.Administrator && u.IsEnabled
         select u.Id).Distinct().CountAsync(cancellationToken);

    private static Dictionary<string, string?> Snapshot(StaffUser user, IReadOnlyList<string> roles) => new()
    {
        ["DisplayName"] = user.DisplayName,
        ["TimeZoneId"] = user.TimeZoneId,
        ["Roles"] = string.Join(",", roles),
    };

    private static string Bool(bool value) => value ? "true" : "false";

    private static StaffSummary ToSummary(StaffUser u, IReadOnlyList<string> roles, DateTimeOffset now) => new(
        u.Id, u.Email ?? "", u.DisplayName, roles, u.IsEnabled,
        u.LockoutEnd is { } end && end > now, u.MustChangePassword, u.TimeZoneId, u.LastSignInUtc, u.CreatedAtUtc, u.Language);
}
