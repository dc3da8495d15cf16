using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Members;

/// <summary>One member's data key (256 bits), itself protected with ASP.NET Core Data Protection. Deleted on erasure.</summary>
public sealed class MemberDataKey
{
    public Guid MemberId { get; set; }

    public string ProtectedKey { get; set; } = "";

    public DateTime CreatedAtUtc { get; set; }
}

internal sealed class MemberDataKeyConfiguration : IEntityTypeConfiguration<MemberDataKey>
{
    public void Configure(EntityTypeBuilder<MemberDataKey> builder)
    {
        builder.ToTable("MemberDataKeys");
        builder.HasKey(k => k.MemberId);
        builder.Property(k => k.ProtectedKey).HasMaxLength(1024).IsRequired();
        // No foreign key to Members: the key goes on its own (erasure), and a member row may be created after the
        // first protected audit value of it was written.
    }
}

/// <summary>
/// AES-256-GCM with a per-member key: <c>pd1:{member id}:{base64url(nonce ‖ ciphertext ‖ tag)}</c>. A key read is kept
/// in this instance's memory for <see cref="CacheLifetime"/> (an audit page reveals many values of few members), so
/// another instance stops revealing an erased member's values within that time; this one at once.
/// </summary>
internal sealed class MemberPersonalData(IDbContextFactory<KurocoDbContext> contexts, IDataProtectionProvider protection, TimeProvider clock)
    : IMemberPersonalData
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    public static readonly TimeSpan CacheLifetime = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<Guid, (byte[] Key, DateTimeOffset ReadAt)> keys = new();
    private readonly IDataProtector protector = protection.CreateProtector("Kuroco.Members.PersonalDataKeys");

    public async Task<string?> ProtectAsync(Guid memberId, string? value, CancellationToken cancellationToken = default)
    {
        if (value is null)
        {
            return null;
        }
        var key = await KeyAsync(memberId, create: true, cancellationToken) ?? throw new InvalidOperationException("No key was made.");
        var plain = Encoding.UTF8.GetBytes(value);
        var payload = new byte[NonceSize + plain.Length + TagSize];
        var nonce = payload.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key, TagSize);
        aes.Encrypt(nonce, plain, payload.AsSpan(NonceSize, plain.Length), payload.AsSpan(NonceSize + plain.Length), AssociatedData(memberId));
        return $"{MemberPersonalDataText.Prefix}{memberId:N}:{Base64Url(payload)}";
    }

    public async Task<string?> RevealAsync(string? stored, CancellationToken cancellationToken = default)
    {
        if (!MemberPersonalDataText.IsProtected(stored))
        {
            return stored;
        }
        if (MemberPersonalDataText.MemberOf(stored) is not { } memberId)
        {
            return MemberPersonalDataText.Erased;
        }
        var key = await KeyAsync(memberId, create: false, cancellationToken);
        var encoded = stored!.AsSpan(MemberPersonalDataText.Prefix.Length + 33);
        if (key is null || !TryBase64Url(encoded, out var payload) || payload.Length < NonceSize + TagSize)
        {
            return MemberPersonalDataText.Erased;
        }
        var length = payload.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize, length), payload.AsSpan(NonceSize + length), plain, AssociatedData(memberId));
        }
        catch (AuthenticationTagMismatchException)
        {
            return MemberPersonalDataText.Erased;
        }
        return Encoding.UTF8.GetString(plain);
    }

    public async Task ShredAsync(Guid memberId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        await db.Set<MemberDataKey>().Where(k => k.MemberId == memberId).ExecuteDeleteAsync(cancellationToken);
        keys.TryRemove(memberId, out _);
    }

    private async Task<byte[]?> KeyAsync(Guid memberId, bool create, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (keys.TryGetValue(memberId, out var cached) && now - cached.ReadAt < CacheLifetime)
        {
            return cached.Key;
        }
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await db.Set<MemberDataKey>().AsNoTracking().FirstOrDefaultAsync(k => k.MemberId == memberId, cancellationToken);
        if (row is null)
        {
            if (!create)
            {
                return null;
            }
            var fresh = RandomNumberGenerator.GetBytes(32);
            db.Add(new MemberDataKey { MemberId = memberId, ProtectedKey = protector.Protect(Convert.ToBase64String(fresh)), CreatedAtUtc = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                keys[memberId] = (fresh, now);
                return fresh;
            }
            catch (DbUpdateException)
            {
                // Another request made the key first: use that one.
                db.ChangeTracker.Clear();
                row = await db.Set<MemberDataKey>().AsNoTracking().FirstAsync(k => k.MemberId == memberId, cancellationToken);
            }
        }
        var key = Convert.FromBase64String(protector.Unprotect(row.ProtectedKey));
        keys[memberId] = (key, now);
        return key;
    }

    private static byte[] AssociatedData(Guid memberId) => memberId.ToByteArray();

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryBase64Url(ReadOnlySpan<char> text, out byte[] bytes)
    {
        var s = text.ToString().Replace('-', '+').Replace('_', '/');
        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        try
        {
            bytes = Convert.FromBase64String(s);
            return true;
        }
        catch (FormatException)
        {
            bytes = [];
            return false;
        }
    }
}
