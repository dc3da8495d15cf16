using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Kuroco.Core.Audit;
using Kuroco.Core.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Localization;

namespace Kuroco.Admin.Backups;

/// <summary>What a download link carries: the generation, the user it was issued to, and a nonce that makes it single use.</summary>
internal sealed record BackupDownloadTicket(string GenerationId, string UserId, string Nonce);

/// <summary>
/// Time-limited, single-use links to download a generation (<c>/backups/download?token=…</c>): the token is the ticket
/// protected with ASP.NET Core Data Protection's time-limited protector (it expires after <see cref="Lifetime"/>), bound to
/// the user and the generation; a redeemed nonce is remembered until the link would have expired. Issuing is audited.
/// </summary>
internal sealed class BackupDownloadLinks(
    IDataProtectionProvider protection,
    IAuditLog auditLog,
    TimeProvider clock,
    IStringLocalizer<BackupsResource> localizer)
{
    public const string Path = "/backups/download";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private const string Purpose = "Kuroco.Backups.Download.v1";
    private static readonly ConcurrentDictionary<string, DateTimeOffset> Redeemed = new(StringComparer.Ordinal);

    private ITimeLimitedDataProtector Protector => protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    /// <summary>Issues a link for <paramref name="userId"/> to download <paramref name="generationId"/>; audited.</summary>
    public async Task<(string Url, DateTimeOffset ExpiresAtUtc)> IssueAsync(string generationId, string userId, CancellationToken cancellationToken)
    {
        var expires = clock.GetUtcNow() + Lifetime;
        var token = Protect(new BackupDownloadTicket(generationId, userId, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))), expires);
        await auditLog.WriteAsync(new AuditRecord(AuditActions.BackupDownloadLinkIssued, AuditEntityTypes.Backup, generationId,
            AuditParameters.Of(
                ("generation", generationId),
                ("expires", expires.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)))), cancellationToken);
        return (Path + "?token=" + Uri.EscapeDataString(token), expires);
    }

    internal string Protect(BackupDownloadTicket ticket, DateTimeOffset expiresAtUtc) =>
        Protector.Protect(JsonSerializer.Serialize(ticket), expiresAtUtc);

    /// <summary>
    /// The ticket of a link for <paramref name="userId"/>: NotFound when the token is unreadable or expired, Forbidden when
    /// it was issued to someone else, Conflict when it was used already. Redeeming marks it used.
    /// </summary>
    internal Result<BackupDownloadTicket> Redeem(string? token, string? userId)
    {
        BackupDownloadTicket? ticket;
        DateTimeOffset expires;
        try
        {
            ticket = JsonSerializer.Deserialize<BackupDownloadTicket>(Protector.Unprotect(token ?? "", out expires));
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException or FormatException)
        {
            ticket = null;
            expires = default;
        }
        if (ticket is null || expires <= clock.GetUtcNow())
        {
            return Result<BackupDownloadTicket>.NotFound(localizer["This download link is invalid or has expired."]);
        }
        if (!string.Equals(ticket.UserId, userId, StringComparison.Ordinal))
        {
            return Result<BackupDownloadTicket>.Forbidden(localizer["This download link was issued to another user."]);
        }
        var now = clock.GetUtcNow();
        foreach (var (nonce, until) in Redeemed)
        {
            if (until < now)
            {
                Redeemed.TryRemove(nonce, out _);
            }
        }
        return Redeemed.TryAdd(ticket.Nonce, expires)
            ? Result.Ok(ticket)
            : Result<BackupDownloadTicket>.Conflict(localizer["This download link was used already. Create a new one."]);
    }
}
