using FluentValidation;
using Kuroco.Core.Api;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Kuroco.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Kuroco.Infrastructure.Api;

/// <summary>Creates, lists and revokes keys for the console. Each change is audited; the secret never is.</summary>
internal sealed class ApiKeyService(
    IDbContextFactory<KurocoDbContext> contexts,
    IValidator<CreateApiKeyRequest> validator,
    IApiKeyValidator keys,
    IAuditLog audit,
    IAuditContext auditContext,
    TimeProvider clock) : IApiKeyService
{
    public async Task<IReadOnlyList<ApiKeySummary>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var rows = await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAtUtc).ToListAsync(cancellationToken);
        return [.. rows.Select(ToSummary)];
    }

    public Task<Result<ApiKeyCreated>> CreateAsync(CreateApiKeyRequest request, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(request, null, cancellationToken);

    /// <summary>
    /// Registers a key whose secret the operator chose (the demo key): same rules, hashing and audit as
    /// <see cref="CreateAsync"/>; the secret must pass <see cref="ApiKeySecret.IsChosenWellFormed"/>.
    /// </summary>
    internal Task<Result<ApiKeyCreated>> RegisterChosenAsync(CreateApiKeyRequest request, string secret, CancellationToken cancellationToken = default)
    {
        if (!ApiKeySecret.IsChosenWellFormed(secret))
        {
            throw new ArgumentException("A chosen API key must be 20 to 200 printable ASCII characters without whitespace.", nameof(secret));
        }
        return CreateCoreAsync(request, secret, cancellationToken);
    }

    private async Task<Result<ApiKeyCreated>> CreateCoreAsync(CreateApiKeyRequest request, string? chosenSecret, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var cleaned = new CreateApiKeyRequest
        {
            Name = (request.Name ?? "").Trim(),
            AllTypes = request.AllTypes,
            Types = request.AllTypes ? [] : [.. request.Types.Select(t => (t ?? "").Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Access = request.Access,
            ExpiresAtUtc = request.ExpiresAtUtc is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : null,
        };
        var validation = await validator.ValidateAsync(cleaned, cancellationToken);
        if (!validation.IsValid)
        {
            return Result<ApiKeyCreated>.Invalid(validation);
        }

        var actor = await auditContext.GetActorAsync();
        var secret = chosenSecret ?? ApiKeySecret.Generate();
        var key = new ApiKey
        {
            Id = Guid.NewGuid(),
            Name = cleaned.Name,
            Prefix = ApiKeySecret.Prefix(secret),
            SecretHash = ApiKeySecret.Hash(secret),
            AllTypes = cleaned.AllTypes,
            Types = string.Join(' ', cleaned.Types),
            Access = cleaned.Access,
            ExpiresAtUtc = cleaned.ExpiresAtUtc,
            CreatedAtUtc = clock.GetUtcNow().UtcDateTime,
            CreatedBy = actor.Name,
        };
        await using (var db = await contexts.CreateDbContextAsync(cancellationToken))
        {
            db.ApiKeys.Add(key);
            await db.SaveChangesAsync(cancellationToken);
        }
        await audit.WriteAsync(new AuditRecord(AuditActions.ApiKeyCreated, "ApiKey", key.Id.ToString("D"),
            AuditParameters.Of(("name", key.Name), ("prefix", key.Prefix)),
            AuditOutcome.Success,
            [
                new FieldChange("Name", null, key.Name),
                new FieldChange("Prefix", null, key.Prefix),
                new FieldChange("Types", null, key.AllTypes ? "*" : key.Types),
                new FieldChange("Access", null, ApiClaims.ToClaimValue(key.Access)),
                new FieldChange("ExpiresAtUtc", null, key.ExpiresAtUtc?.ToString("O", System.Globalization.CultureInfo.InvariantCulture) ?? "never"),
            ]), cancellationToken);
        return Result.Ok(new ApiKeyCreated(ToSummary(key), secret));
    }

    public async Task<Result> RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var actor = await auditContext.GetActorAsync();
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return Result.NotFound(CoreMessages.Get("ApiKey.NotFound"));
        }
        if (key.RevokedAtUtc.HasValue)
        {
            return Result.Conflict(CoreMessages.Get("ApiKey.AlreadyRevoked"));
        }
        key.RevokedAtUtc = clock.GetUtcNow().UtcDateTime;
        key.RevokedBy = actor.Name;
        await db.SaveChangesAsync(cancellationToken);
        keys.Forget(id);
        await audit.WriteAsync(new AuditRecord(AuditActions.ApiKeyRevoked, "ApiKey", key.Id.ToString("D"),
            AuditParameters.Of(("name", key.Name), ("prefix", key.Prefix)),
            AuditOutcome.Success,
            [new FieldChange("Status", "active", "revoked")]), cancellationToken);
        return Result.Success;
    }

    internal static ApiKeySummary ToSummary(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, k.AllTypes, k.TypeList, k.Access, k.ExpiresAtUtc, k.CreatedAtUtc, k.CreatedBy, k.LastUsedAtUtc, k.RevokedAtUtc);
}
