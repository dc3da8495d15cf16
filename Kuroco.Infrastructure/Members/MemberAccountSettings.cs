using Kuroco.Core.Members;
using Kuroco.Infrastructure.Data;

namespace Kuroco.Infrastructure.Members;

/// <summary>The stored registration settings and profile fields as the account services read them (defaults until the console saves them).</summary>
internal sealed class MemberAccountSettings(KurocoDbContext db)
{
    public async Task<MemberRegistrationSettings> RegistrationAsync(CancellationToken cancellationToken) =>
        await MemberRegistrationSettingsStore.ReadAsync(db, cancellationToken) ?? new MemberRegistrationSettings();

    public async Task<IReadOnlyList<Core.Content.FieldDefinition>> ProfileFieldsAsync(CancellationToken cancellationToken) =>
        (await MemberProfileSchemaStore.ReadAsync(db, cancellationToken))?.Fields ?? [];
}
