using Kuroco.Core.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kuroco.Infrastructure.Members;

/// <summary>
/// What the console's member list adds to the foundation's mapping (<see cref="MemberConfiguration"/>): an index for the
/// "locked" filter. The email order uses the unique index on NormalizedEmail and the group filter the memberships'
/// (GroupId, MemberId) index, both there already. The SQLite search index (FTS5) is created by the MembersConsole
/// migration, outside the EF model (see <see cref="MemberSearchIndex"/>).
/// </summary>
internal sealed class MemberConsoleConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> builder) => builder.HasIndex(m => m.LockoutEndUtc);
}
