using System.Globalization;
using FluentValidation;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Core.Content;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Members;

/// <summary>The registration settings: row 1 of MemberRegistrationSettings (defaults until first saved).</summary>
internal sealed class MemberRegistrationSettingsStore(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<MemberRegistrationSettings> validator,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IMemberRegistrationSettingsStore
{
    public async Task<MemberRegistrationSettings> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        return (await ReadAsync(db, cancellationToken))?.Clone() ?? new MemberRegistrationSettings();
    }

    /// <summary>The stored row (null until first saved), for the services that read it inside their own context.</summary>
    internal static Task<MemberRegistrationSettings?> ReadAsync(KurocoDbContext db, CancellationToken cancellationToken) =>
        db.Set<MemberRegistrationSettings>().AsNoTracking()
            .FirstOrDefaultAsync(s => EF.Property<int>(s, MemberRegistrationSettingsConfiguration.IdProperty) == MemberRegistrationSettingsConfiguration.SingletonId, cancellationToken);

    public async Task<Result<IReadOnlyList<FieldChange>>> SaveAsync(MemberRegistrationSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (await MemberConsoleAccess.RequireAdministratorAsync(auditContext) is { } refused)
        {
            return refused.As<IReadOnlyList<FieldChange>>();
        }
        var candidate = settings.Clone();
        candidate.AllowedDomains = MemberConsoleRules.ParseDomains(string.Join('\n', settings.AllowedDomains));
        candidate.DeniedDomains = MemberConsoleRules.ParseDomains(string.Join('\n', settings.DeniedDomains));
        var validation = await validator.ValidateAsync(candidate, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<IReadOnlyList<FieldChange>>.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var set = db.Set<MemberRegistrationSettings>();
        var row = await set.FirstOrDefaultAsync(s => EF.Property<int>(s, MemberRegistrationSettingsConfiguration.IdProperty) == MemberRegistrationSettingsConfiguration.SingletonId, cancellationToken);
        var changes = AuditChanges.Diff(Snapshot(row ?? new MemberRegistrationSettings()), Snapshot(candidate));
        if (changes.Count == 0)
        {
            return Result.Ok<IReadOnlyList<FieldChange>>([]);
        }
        if (row is null)
        {
            row = new MemberRegistrationSettings();
            set.Add(row).Property(MemberRegistrationSettingsConfiguration.IdProperty).CurrentValue = MemberRegistrationSettingsConfiguration.SingletonId;
        }
        row.Mode = candidate.Mode;
        row.AllowedDomains = candidate.AllowedDomains;
        row.DeniedDomains = candidate.DeniedDomains;
        row.RequireEmailVerification = candidate.RequireEmailVerification;
        row.VerificationLinkHours = candidate.VerificationLinkHours;
        row.InvitationLinkHours = candidate.InvitationLinkHours;
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberRegistrationSettingsChanged, "MemberRegistrationSettings",
            MemberRegistrationSettingsConfiguration.SingletonId.ToString(CultureInfo.InvariantCulture),
            AuditParameters.Of(("fields", string.Join(",", changes.Select(c => c.Field)))), changes: changes), cancellationToken);
        return Result.Ok<IReadOnlyList<FieldChange>>(changes);
    }

    private static Dictionary<string, string?> Snapshot(MemberRegistrationSettings s) => new(StringComparer.Ordinal)
    {
        [nameof(s.Mode)] = s.Mode.ToString(),
        [nameof(s.AllowedDomains)] = string.Join(", ", s.AllowedDomains),
        [nameof(s.DeniedDomains)] = string.Join(", ", s.DeniedDomains),
        [nameof(s.RequireEmailVerification)] = s.RequireEmailVerification ? "true" : "false",
        [nameof(s.VerificationLinkHours)] = s.VerificationLinkHours.ToString(CultureInfo.InvariantCulture),
        [nameof(s.InvitationLinkHours)] = s.InvitationLinkHours.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>The custom profile fields: row 1 of MemberProfileSchemas (none until first saved).</summary>
internal sealed class MemberProfileSchemaStore(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<MemberProfileSchema> validator,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IMemberProfileSchemaStore
{
    public async Task<MemberProfileSchema> GetAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await ReadAsync(db, cancellationToken);
        // A schema never saved has the empty token: the first save must present it.
        return row ?? new MemberProfileSchema { ConcurrencyToken = Guid.Empty };
    }

    public async Task<Result<MemberProfileSchema>> SaveAsync(MemberProfileSchema schema, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (await MemberConsoleAccess.RequireAdministratorAsync(auditContext) is { } refused)
        {
            return refused.As<MemberProfileSchema>();
        }
        var edited = schema.Fields.Where(f => !f.IsArchived).Select(f => f.Clone()).ToList();
        foreach (var field in edited)
        {
            field.Choices = [.. field.Choices.Select(c => c.Trim()).Where(c => c.Length > 0)];
        }
        var validation = await validator.ValidateAsync(new MemberProfileSchema { Fields = edited }, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<MemberProfileSchema>.Invalid(validation);
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await Rows(db).FirstOrDefaultAsync(cancellationToken);
        var storedToken = row?.ConcurrencyToken ?? Guid.Empty;
        if (schema.ConcurrencyToken != storedToken)
        {
            return Result<MemberProfileSchema>.PreconditionFailed(MemberConsoleMessages.Get("Members.Schema.Stale"));
        }
        var stored = row?.Fields ?? [];
        var (kindErrors, merged) = ContentTypeChanges.Merge(stored, edited);
        if (kindErrors.Count > 0)
        {
            return Result<MemberProfileSchema>.Invalid([.. kindErrors]);
        }
        var before = Describe(stored);
        var after = Describe(merged);
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            return Result.Ok(row ?? await GetAsync(cancellationToken));
        }
        if (row is null)
        {
            row = new MemberProfileSchema();
            db.Add(row).Property(MemberProfileSchemaConfiguration.IdProperty).CurrentValue = MemberProfileSchemaConfiguration.SingletonId;
        }
        row.Fields = merged;
        row.UpdatedAtUtc = clock.GetUtcNow().UtcDateTime;
        row.ConcurrencyToken = Guid.NewGuid();
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            // A concurrent save changed the token, or made the row first.
            return Result<MemberProfileSchema>.PreconditionFailed(MemberConsoleMessages.Get("Members.Schema.Stale"));
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.MemberProfileSchemaChanged, "MemberProfileSchema",
            MemberProfileSchemaConfiguration.SingletonId.ToString(CultureInfo.InvariantCulture), AuditParameters.Of(),
            changes: [new FieldChange("Fields", before, after)]), cancellationToken);
        return Result.Ok(row);
    }

    /// <summary>The stored row (null until first saved), for the services that read it inside their own context.</summary>
    internal static Task<MemberProfileSchema?> ReadAsync(KurocoDbContext db, CancellationToken cancellationToken) =>
        Rows(db).AsNoTracking().FirstOrDefaultAsync(cancellationToken);

    private static IQueryable<MemberProfileSchema> Rows(KurocoDbContext db) => db.Set<MemberProfileSchema>()
        .Where(s => EF.Property<int>(s, MemberProfileSchemaConfiguration.IdProperty) == MemberProfileSchemaConfiguration.SingletonId);

    /// <summary>The field list as an auditor reads it: one line per field with its kind and rules.</summary>
    private static string Describe(IEnumerable<FieldDefinition> fields) => string.Join("\n", fields.Select(f =>
        string.Create(CultureInfo.InvariantCulture,
            $"{f.Key} ({f.Kind}{(f.Required ? ", required" : "")}{(f.IsArchived ? ", archived" : "")}{Rules(f)}) {f.LabelEn} / {f.LabelJa}")));

    private static string Rules(FieldDefinition f)
    {
        var parts = new List<string>();
        if (f.MinLength is { } min) { parts.Add(string.Create(CultureInfo.InvariantCulture, $"min {min}")); }
        if (f.MaxLength is { } max) { parts.Add(string.Create(CultureInfo.InvariantCulture, $"max {max}")); }
        if (f.MinValue is { } minValue) { parts.Add(string.Create(CultureInfo.InvariantCulture, $"≥ {minValue}")); }
        if (f.MaxValue is { } maxValue) { parts.Add(string.Create(CultureInfo.InvariantCulture, $"≤ {maxValue}")); }
        if (!string.IsNullOrEmpty(f.Pattern)) { parts.Add("pattern " + f.Pattern); }
        if (f.Choices.Count > 0) { parts.Add("choices " + string.Join("|", f.Choices)); }
        return parts.Count == 0 ? "" : ", " + string.Join(", ", parts);
    }
}
